"""SYS-3 backups API: list, create (in the background), detail, download. Restoring replaces the
whole database, so it is done on the command line only (`make restore FILE=…`, docs/operator.md)."""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shoal.backups import services
from shoal.backups.permissions import Permission
from shoal.core.errors import NotFound
from shoal.core.pagination import PageNumberPagination


class BackupSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["running", "done", "failed", "damaged"])
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.CharField(allow_blank=True)
    database = serializers.ChoiceField(choices=["sqlite", "postgresql"], allow_null=True)
    tables = serializers.IntegerField()
    rows = serializers.IntegerField()
    media_files = serializers.IntegerField()


class BackupPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = BackupSerializer(many=True)


class TableSerializer(serializers.Serializer):
    table = serializers.CharField()
    rows = serializers.IntegerField()
    checksum = serializers.CharField()


class BackupDetailSerializer(BackupSerializer):
    table_list = TableSerializer(many=True)
    restore_command = serializers.CharField()


class _PageSchema(AutoSchema):
    """The list answers one page object (``BackupPageSerializer``), not an array of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class BackupViewSet(viewsets.ViewSet):
    schema = _PageSchema()
    required_permissions = {"*": Permission.BACKUP}
    lookup_field = "name"
    lookup_value_converter = "str"

    def _find(self, name: str):
        path = services.backup_path(name)
        if path is None:
            raise NotFound(_("No such backup."))
        return path

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: BackupPageSerializer},
        operation_id="backups_list",
    )
    def list(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(services.backup_list(), request, view=self)
        return paginator.get_paginated_response(BackupSerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: BackupSerializer})
    def create(self, request):
        from shoal.backups.tasks import backup_create_task

        by = request.user.name or request.user.username
        final = services.backup_reserve(by=by)
        backup_create_task(str(final), by=by)
        item = next(i for i in services.backup_list() if i["name"] == final.name)
        return Response(BackupSerializer(item).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: BackupDetailSerializer})
    def retrieve(self, request, name=None):
        path = self._find(name)
        item = next(i for i in services.backup_list() if i["name"] == path.name)
        manifest = services.read_manifest(path)
        tables = [{"table": t, **v} for t, v in sorted(manifest["tables"].items())]
        body = {**item, "table_list": tables, "restore_command": f"make restore FILE=var/backups/{path.name}"}
        return Response(BackupDetailSerializer(body).data)

    @extend_schema(responses={(200, "application/gzip"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request, name=None):
        path = self._find(name)
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="application/gzip")
