"""CUS-13 import/export and customer tags: parse, call a service or selector, render."""

import tempfile
from types import SimpleNamespace

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shoal.core.errors import InvalidInput, NotFound
from shoal.customers import exports, imports, selectors, services
from shoal.customers.api import LIST_PARAMETERS, TagSerializer
from shoal.customers.models import Tag
from shoal.customers.permissions import Permission
from shoal.jobs.models import Job, JobStatus
from shoal.jobs.selectors import job_get
from shoal.jobs.spreadsheets import RowWriter
from shoal.system.permissions import Permission as SystemPermission

FILE_RESPONSE = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


class FormatParamNegotiation(DefaultContentNegotiation):
    """API.md names the file type ``?format=xlsx|csv``; DRF would take it for a renderer override."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


class ImportFieldSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class ImportDraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    input_name = serializers.CharField()
    format = serializers.CharField()
    encoding = serializers.CharField(allow_blank=True)
    headers = serializers.ListField(child=serializers.CharField(allow_blank=True))
    samples = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))
    row_estimate = serializers.IntegerField()
    mapping = serializers.DictField(child=serializers.CharField(), help_text="column index → field")
    duplicate_policy = serializers.ChoiceField(choices=imports.POLICIES)
    claim = serializers.BooleanField()
    default_source = serializers.CharField()
    fields = ImportFieldSerializer(many=True)


def _draft(job: Job) -> dict:
    p = job.params
    return ImportDraftSerializer(
        {
            "id": job.pk,
            "status": job.status,
            "input_name": job.input_name,
            "format": p.get("format", ""),
            "encoding": p.get("encoding", ""),
            "headers": p.get("headers", []),
            "samples": p.get("samples", []),
            "row_estimate": p.get("row_estimate", 0),
            "mapping": p.get("mapping", {}),
            "duplicate_policy": p.get("duplicate_policy", "skip"),
            "claim": p.get("claim", False),
            "default_source": p.get("default_source", "system"),
            "fields": [{"field": c.field, "label": str(c.label), "required": c.required} for c in imports.COLUMNS],
        }
    ).data


class ImportOptionsSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    duplicate_policy = serializers.ChoiceField(choices=imports.POLICIES, required=False)
    claim = serializers.BooleanField(required=False, help_text="导入并领用: the importer claims what fits the limit")
    default_source = serializers.CharField(required=False)


IMPORT_ROW_STATUSES = ["new", "error", "duplicate", "already"]


class PreviewRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))
    status = serializers.ChoiceField(choices=IMPORT_ROW_STATUSES)
    errors = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)
    duplicate = inline_serializer(
        "ImportDuplicate",
        {
            "id": serializers.IntegerField(),
            "name": serializers.CharField(allow_null=True),
            "visible": serializers.BooleanField(),
            "owner_name": serializers.CharField(allow_null=True),
        },
        allow_null=True,
    )


class ImportPreviewSerializer(serializers.Serializer):
    rows = PreviewRowSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    row_estimate = serializers.IntegerField()


class JobAcceptedSerializer(serializers.Serializer):
    job = serializers.IntegerField()


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class CustomerImportView(APIView):
    """CUS-13 step 1: upload an .xlsx or .csv (UTF-8 or GBK); answers the columns and a mapping guess."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]  # JSON: a clear 400, not a 415
    required_permissions = {"*": Permission.IMPORT}

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportDraftSerializer},
        description="Errors: 400 upload_rejected / macro_not_allowed / unsupported_type / type_mismatch / "
        "file_too_complex / bad_file / bad_encoding / empty_file / too_many_rows; 413 file_too_large.",
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Choose a file to upload.")]})
        job = imports.import_upload(actor=request.user, fileobj=upload, filename=upload.name, size=upload.size)
        return Response(_draft(job), status=status.HTTP_201_CREATED)


def _import_job(request, pk) -> Job:
    job = job_get(user=request.user, pk=pk)
    if job.kind != imports.KIND:
        raise NotFound()
    return job


class CustomerImportDetailView(APIView):
    required_permissions = {"*": Permission.IMPORT}

    @extend_schema(responses={200: ImportDraftSerializer})
    def get(self, request, pk):
        return Response(_draft(_import_job(request, pk)))


class CustomerImportPreviewView(APIView):
    required_permissions = {"*": Permission.IMPORT}

    @extend_schema(request=ImportOptionsSerializer, responses={200: ImportPreviewSerializer})
    def post(self, request, pk):
        data = ImportOptionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = _import_job(request, pk)
        return Response(
            ImportPreviewSerializer(imports.import_preview(actor=request.user, job=job, data=data.validated_data)).data
        )


class CustomerImportStartView(APIView):
    required_permissions = {"*": Permission.IMPORT}

    @extend_schema(
        request=ImportOptionsSerializer,
        responses={202: JobAcceptedSerializer},
        description="Queues the import job; follow it at /api/v1/jobs/{job}/. 409 job_started if already started.",
    )
    def post(self, request, pk):
        data = ImportOptionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = imports.import_start(actor=request.user, job=_import_job(request, pk), data=data.validated_data)
        return Response({"job": job.pk}, status=status.HTTP_202_ACCEPTED)


def _file_response(write, name: str, fmt: str) -> FileResponse:
    out = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it after sending
    write(out)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=name)
    response["Content-Type"] = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class CustomerImportTemplateView(APIView):
    content_negotiation_class = FormatParamNegotiation
    required_permissions = {"*": Permission.IMPORT}

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["xlsx", "csv"])], responses=FILE_RESPONSE)
    def get(self, request):
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in exports.FORMATS:
            raise InvalidInput(fields={"format": [_("Choose xlsx or csv.")]})

        def write(out):
            writer = RowWriter(out, fmt, sheet_title="customers")
            for row in imports.template_rows():
                writer.write(row)
            writer.close()

        label = _("customer import template")
        return _file_response(write, f"{label}.{fmt}", fmt)


class CustomerExportView(APIView):
    """CUS-13 export of a list with its filters: the file at once, or 202 with a job for big lists."""

    content_negotiation_class = FormatParamNegotiation
    required_permissions = {"*": Permission.EXPORT}

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(exports.FORMATS)),
            OpenApiParameter("view", str, enum=list(exports.VIEWS), description="pool: public fields only"),
            *LIST_PARAMETERS,
        ],
        responses={**FILE_RESPONSE, 202: JobAcceptedSerializer},
    )
    def get(self, request):
        params = request.query_params
        view, fmt = params.get("view", "all"), params.get("format", "xlsx")
        filters = {k: v for k, v in params.items() if k not in {"view", "format"}}
        job = exports.export_start(actor=request.user, view=view, filters=filters, fmt=fmt)
        if job is not None:
            return Response({"job": job.pk}, status=status.HTTP_202_ACCEPTED)
        return _file_response(
            lambda out: exports.export_write(actor=request.user, view=view, filters=filters, fmt=fmt, out=out),
            exports.export_filename(view, fmt),
            fmt,
        )


class TagViewSet(viewsets.ViewSet):
    """标签: the company's tags (a cached lookup for the web app) and their upkeep."""

    required_permissions = {
        "list": Permission.VIEW_POOL,
        "create": Permission.EDIT,
        "partial_update": SystemPermission.MANAGE_DICTIONARY,
        "destroy": SystemPermission.MANAGE_DICTIONARY,
    }

    def _get(self, pk) -> Tag:
        tag = selectors.tag_list().filter(pk=pk).first()
        if tag is None:
            raise NotFound()
        return tag

    @extend_schema(responses={200: TagSerializer(many=True)})
    def list(self, request):
        return Response(TagSerializer(selectors.tag_list(), many=True).data)

    @extend_schema(request=TagSerializer, responses={201: TagSerializer})
    def create(self, request):
        data = TagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tag = services.tag_create(actor=request.user, **data.validated_data)
        return Response(TagSerializer(tag).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TagSerializer(partial=True), responses={200: TagSerializer})
    def partial_update(self, request, pk=None):
        tag = self._get(pk)
        data = TagSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        tag = services.tag_update(actor=request.user, tag=tag, **data.validated_data)
        return Response(TagSerializer(tag).data)

    @extend_schema(responses={204: OpenApiResponse(description="deleted")})
    def destroy(self, request, pk=None):
        services.tag_delete(actor=request.user, tag=self._get(pk))
        return HttpResponse(status=204)


class CustomerTagsInputSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=50)


class CustomerTagsView(APIView):
    """The tags of one customer: read by whoever sees it; replaced by whoever may edit it."""

    required_permissions = {"put": Permission.EDIT}

    @extend_schema(responses={200: TagSerializer(many=True)})
    def get(self, request, pk):
        customer = selectors.customer_get(user=request.user, pk=pk)
        return Response(TagSerializer(selectors.customer_tags(user=request.user, customer=customer), many=True).data)

    @extend_schema(
        request=CustomerTagsInputSerializer,
        responses={200: TagSerializer(many=True)},
    )
    def put(self, request, pk):
        data = CustomerTagsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = selectors.customer_get(user=request.user, pk=pk)
        tags = services.customer_tags_set(actor=request.user, customer=customer, tags=data.validated_data["tags"])
        return Response(TagSerializer(tags, many=True).data)
