"""CUS-14 attachments API: the list and upload under the record, download and delete by id."""

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shoal.attachments import selectors, services
from shoal.attachments.models import Attachment
from shoal.core.errors import InvalidInput, NotFound


class AttachmentSerializer(serializers.ModelSerializer):
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "created_at", "created_by", "created_by_name"]
        read_only_fields = fields

    def get_created_by_name(self, obj) -> str | None:
        return obj.created_by.display_name if obj.created_by_id else None


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class TargetAttachmentsView(GenericAPIView):
    """``/<records>/{target_pk}/attachments/`` for one registered kind (set by ``as_view(kind=…)``)."""

    kind = ""
    parser_classes = [MultiPartParser, FormParser, JSONParser]  # JSON: a clear 400, not a 415
    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.none()  # for the schema only; rows come from the selector
    required_permissions: dict = {}

    @extend_schema(responses={200: AttachmentSerializer(many=True)})
    def get(self, request, pk):
        qs = selectors.attachment_list(user=request.user, target_kind=self.kind, target_id=pk)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AttachmentSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        description="Errors: 404 record not visible; 403 may not change it; 400 unsupported_type / type_mismatch / "
        "macro_not_allowed / file_too_complex / bad_file; 413 file_too_large.",
    )
    def post(self, request, pk):
        services._kind(self.kind).check_edit(request.user, services._kind(self.kind).get(request.user, pk))
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Choose a file to upload.")]})
        attachment = services.attachment_upload(
            actor=request.user,
            target_kind=self.kind,
            target_id=pk,
            fileobj=upload,
            filename=upload.name,
            size=upload.size,
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentView(APIView):
    @extend_schema(responses={204: OpenApiResponse(description="deleted")})
    def delete(self, request, pk):
        services.attachment_delete(actor=request.user, pk=pk)
        return HttpResponse(status=204)


class AttachmentDownloadView(APIView):
    """The file itself, only after the visibility check; never rendered inline by the browser."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        attachment, _record = services.attachment_get(actor=request.user, pk=pk)
        if not default_storage.exists(attachment.file):
            raise NotFound()
        response = FileResponse(
            default_storage.open(attachment.file, "rb"), as_attachment=True, filename=attachment.name
        )
        response["Content-Type"] = attachment.content_type
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
