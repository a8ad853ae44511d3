"""The notification centre: a person's own notifications, the unread count, marking them read."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput
from shoal.notifications import selectors, services
from shoal.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at"]


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class NotificationViewSet(viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; every action asks the selector

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool), OpenApiParameter("kind", str)],
        responses={200: NotificationSerializer(many=True)},
    )
    def list(self, request):
        kind = request.query_params.get("kind") or None
        if kind and "\x00" in kind:
            raise InvalidInput(fields={"kind": [_("Null characters are not allowed.")]})
        qs = selectors.notification_list(
            user=request.user, unread=request.query_params.get("unread") in {"1", "true"}, kind=kind
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(responses={200: CountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", url_name="unread-count", pagination_class=None)
    def unread_count(self, request):
        return Response({"count": selectors.notification_unread_count(user=request.user)})

    @extend_schema(request=IdsSerializer, responses={200: BatchResultSerializer})
    @action(detail=False, methods=["post"], pagination_class=None)
    def read(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.notifications_mark_read(actor=request.user, ids=data.validated_data["ids"]).as_dict())

    @extend_schema(request=None, responses={200: CountSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all", pagination_class=None)
    def read_all(self, request):
        return Response({"count": services.notifications_mark_all_read(actor=request.user)})
