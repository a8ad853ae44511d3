"""Help requests (ACT-7), work logs and attendance (ORG-6) API."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput, current_on_stale
from shoal.core.versioning import versioned_input
from shoal.teamwork import selectors, services
from shoal.teamwork.models import DayType, HelpMessage, HelpRequest, HelpStatus, WorkLog, WorkLogComment


def _name(user) -> str:
    return user.display_name


def _digits(params, *names) -> None:
    for name in names:
        if params.get(name) and not params[name].isdigit():
            raise InvalidInput(fields={name: [_("A whole number is required.")]})


def _date(params, name):
    value = params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(fields={name: [_("Use the format YYYY-MM-DD.")]}) from None


def _month(value: str | None) -> tuple[int, int]:
    if not value:
        today = timezone.localdate()
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise InvalidInput(fields={"month": [_("Use the format YYYY-MM.")]}) from None
    return year, month


# ---------------------------------------------------------------- help requests


class HelpMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = HelpMessage
        fields = ["id", "author", "author_name", "body", "created_at"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return _name(obj.author)


class HelpRequestSerializer(serializers.ModelSerializer):
    requester_name = serializers.SerializerMethodField()
    superior_name = serializers.SerializerMethodField()
    customer_name = serializers.SerializerMethodField()
    message_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "requester",
            "requester_name",
            "superior",
            "superior_name",
            "customer",
            "customer_name",
            "deal",
            "subject",
            "body",
            "status",
            "message_count",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_requester_name(self, obj) -> str:
        return _name(obj.requester)

    def get_superior_name(self, obj) -> str:
        return _name(obj.superior)

    def get_customer_name(self, obj) -> str | None:
        return obj.customer.name if obj.customer else None


class HelpRequestDetailSerializer(HelpRequestSerializer):
    messages = HelpMessageSerializer(many=True, read_only=True)

    class Meta(HelpRequestSerializer.Meta):
        fields = [*HelpRequestSerializer.Meta.fields, "messages"]
        read_only_fields = fields


class HelpRequestInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000)
    customer = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    deal = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    superior = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class HelpRequestViewSet(viewsets.GenericViewSet):
    """ACT-7 求助: the rep's requests, the superior's inbox, one thread."""

    serializer_class = HelpRequestSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "created_at", "updated_at", "status"]
    ordering = ["-id"]

    def _get(self, pk) -> HelpRequest:
        return selectors.help_request_get(user=self.request.user, pk=pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("box", str, enum=["mine", "inbox"], description="mine: asked by me; inbox: asked of me"),
            OpenApiParameter("status", str, enum=HelpStatus.values),
            OpenApiParameter("customer", int),
            OpenApiParameter("q", str),
        ]
    )
    def list(self, request):
        params = request.query_params
        _digits(params, "customer")
        filters = {k: params.get(k) for k in ("box", "status", "customer", "q")}
        rows = selectors.help_request_list(user=request.user, filters=filters)
        page = self.paginate_queryset(self.filter_queryset(rows))
        return self.get_paginated_response(HelpRequestSerializer(page, many=True).data)

    @extend_schema(responses={200: HelpRequestDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(HelpRequestDetailSerializer(self._get(pk)).data)

    @extend_schema(
        request=HelpRequestInputSerializer,
        responses={201: HelpRequestDetailSerializer},
        description="Asks the direct superior unless `superior` names someone above. 404 for a customer one "
        "may not see.",
    )
    def create(self, request):
        data = HelpRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        created = services.help_request_create(
            actor=request.user,
            subject=d["subject"],
            body=d["body"],
            customer_id=d["customer"],
            deal=d["deal"],
            superior_id=d["superior"],
        )
        return Response(HelpRequestDetailSerializer(self._get(created.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MessageInputSerializer,
        responses={201: HelpRequestDetailSerializer},
        description="Reply in the thread. Errors: 409 help_request_closed.",
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        help_request = self._get(pk)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.help_message_add(actor=request.user, request=help_request, body=data.validated_data["body"])
        return Response(HelpRequestDetailSerializer(self._get(pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=IdsSerializer,
        responses={200: BatchResultSerializer},
        description="Close requests. Failure codes: not_found, help_request_closed.",
    )
    @action(detail=False, methods=["post"])
    def close(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.help_request_close(actor=request.user, ids=data.validated_data["ids"])
        return Response(BatchResultSerializer(result.as_dict()).data)


# ---------------------------------------------------------------- work logs


class WorkLogCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = WorkLogComment
        fields = ["id", "author", "author_name", "body", "created_at"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return _name(obj.author)


class WorkLogSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    department_name = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "user",
            "user_name",
            "department_name",
            "day",
            "day_type",
            "content",
            "plan",
            "comment_count",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_user_name(self, obj) -> str:
        return _name(obj.user)

    def get_department_name(self, obj) -> str:
        return obj.user.department.name if obj.user.department else ""


class WorkLogDetailSerializer(WorkLogSerializer):
    comments = WorkLogCommentSerializer(many=True, read_only=True)

    class Meta(WorkLogSerializer.Meta):
        fields = [*WorkLogSerializer.Meta.fields, "comments"]
        read_only_fields = fields


class WorkLogInputSerializer(serializers.Serializer):
    day = serializers.DateField(required=False, allow_null=True, default=None, help_text="default today")
    day_type = serializers.ChoiceField(choices=DayType.choices, required=False, default=DayType.WORK)
    content = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    plan = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class WorkLogPatchSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    day_type = serializers.ChoiceField(choices=DayType.choices, required=False)
    content = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    plan = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class WorkLogViewSet(viewsets.GenericViewSet):
    """ORG-6 员工日志: one per person per day; superiors read and comment."""

    serializer_class = WorkLogSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "day", "user", "day_type", "updated_at"]
    ordering = ["-day", "-id"]

    def _get(self, pk) -> WorkLog:
        return selectors.work_log_get(user=self.request.user, pk=pk)

    def _detail(self, pk) -> dict:
        log = WorkLog.objects.prefetch_related("comments__author").get(pk=self._get(pk).pk)
        data = WorkLogDetailSerializer(log).data
        data["comment_count"] = len(data["comments"])
        data["user_name"] = _name(log.user)
        return data

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", bool),
            OpenApiParameter("user", int),
            OpenApiParameter("department", int),
            OpenApiParameter("day_type", str, enum=DayType.values),
            OpenApiParameter("day__gte", str, description="YYYY-MM-DD"),
            OpenApiParameter("day__lte", str, description="YYYY-MM-DD"),
        ]
    )
    def list(self, request):
        params = request.query_params
        _digits(params, "user", "department")
        filters = {
            "mine": params.get("mine") in {"1", "true"},
            "user": params.get("user"),
            "department": params.get("department"),
            "day_type": params.get("day_type"),
            "day__gte": _date(params, "day__gte"),
            "day__lte": _date(params, "day__lte"),
        }
        rows = selectors.work_log_list(user=request.user, filters=filters)
        page = self.paginate_queryset(self.filter_queryset(rows))
        return self.get_paginated_response(WorkLogSerializer(page, many=True).data)

    @extend_schema(responses={200: WorkLogDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        request=WorkLogInputSerializer,
        responses={201: WorkLogDetailSerializer},
        description="Errors: 409 work_log_exists (one log per day).",
    )
    def create(self, request):
        data = WorkLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        day = values.pop("day")
        log = services.work_log_create(actor=request.user, data=values, day=day)
        return Response(self._detail(log.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WorkLogPatchSerializer,
        responses={200: WorkLogDetailSerializer},
        description="The writer only (403 not_author). 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        log = self._get(pk)
        values, version = versioned_input(WorkLogPatchSerializer, request.data)
        with current_on_stale(lambda: self._detail(pk)):
            services.work_log_update(actor=request.user, log=log, version=version, data=values)
        return Response(self._detail(pk))

    @extend_schema(request=CommentInputSerializer, responses={201: WorkLogDetailSerializer})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        log = self._get(pk)
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.work_log_comment_add(actor=request.user, log=log, body=data.validated_data["body"])
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- attendance


class AttendanceSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    user_name = serializers.CharField()
    department_name = serializers.CharField()
    days_present = serializers.IntegerField()
    days_leave = serializers.IntegerField()
    days_business_trip = serializers.IntegerField()
    days_signed_in = serializers.IntegerField()
    logs_written = serializers.IntegerField()


class AttendanceViewSet(viewsets.GenericViewSet):
    """ORG-6 考勤统计 of a month for the people one may read (self, those below, a manager's scope)."""

    serializer_class = AttendanceSerializer
    queryset = WorkLog.objects.none()  # for the schema only; reads go through selectors
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM, default this month"),
            OpenApiParameter("department", int),
        ],
        responses={200: AttendanceSerializer(many=True)},
    )
    def list(self, request):
        params = request.query_params
        _digits(params, "department")
        year, month = _month(params.get("month"))
        department = int(params["department"]) if params.get("department") else None
        rows = selectors.attendance(user=request.user, year=year, month=month, department=department)
        return Response(AttendanceSerializer(rows, many=True).data)
