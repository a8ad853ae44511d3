"""My jobs (API.md, Long work): list, detail, the files they produced, run again."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.core.errors import NotFound
from shoal.jobs import selectors, services
from shoal.jobs.models import Job, JobStatus


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True, help_text="0–100")
    has_result_file = serializers.SerializerMethodField()
    has_error_file = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "progress_done",
            "progress_total",
            "result",
            "error",
            "input_name",
            "result_name",
            "error_name",
            "has_result_file",
            "has_error_file",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_has_result_file(self, obj) -> bool:
        return bool(obj.result_file)

    def get_has_error_file(self, obj) -> bool:
        return bool(obj.error_file)


def file_download(stored: str, name: str) -> FileResponse:
    if not stored or not default_storage.exists(stored):
        raise NotFound()
    response = FileResponse(default_storage.open(stored, "rb"), as_attachment=True, filename=name or "download")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class JobViewSet(viewsets.GenericViewSet):
    """A user sees only the jobs they started; anyone else's answers 404."""

    serializer_class = JobSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "created_at", "status", "kind"]
    ordering = ["-id"]

    def get_queryset(self):
        qs = selectors.job_visible(user=self.request.user).exclude(status=JobStatus.DRAFT)
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs

    def _get(self, pk) -> Job:
        return selectors.job_get(user=self.request.user, pk=pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("status", str, enum=JobStatus.values),
            OpenApiParameter("ordering", str),
        ]
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(JobSerializer(self._get(pk)).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        job = self._get(pk)
        return file_download(job.result_file, job.result_name)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def errors(self, request, pk=None):
        job = self._get(pk)
        return file_download(job.error_file, job.error_name)

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = services.job_retry(actor=request.user, job=self._get(pk))
        return Response(JobSerializer(job).data, status=202)
