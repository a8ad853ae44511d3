"""Call page API (ACT-4, ACT-6, seed 003 §1, §4.3, §6): parse, call a service or selector, render."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.calls import selectors, services
from shoal.calls.models import (
    CallAnnotation,
    InvalidPhone,
    InvalidReason,
    InvalidStatus,
    LeaseStatus,
    NextStep,
    PhoneLease,
    ScriptKind,
    TalkScript,
)
from shoal.calls.permissions import Permission
from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput, current_on_stale
from shoal.customers.models import Classification, IntentLevel
from shoal.customers.selectors import classification_of

# ---------------------------------------------------------------- call annotations


class CallAnnotationSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = CallAnnotation
        fields = [
            "id",
            "customer",
            "customer_name",
            "author",
            "author_name",
            "development_outlook",
            "target_customers",
            "competition",
            "network_awareness",
            "needs_category",
            "awareness_category",
            "intent_level",
            "source",
            "classification",
            "next_step",
            "next_follow_up_at",
            "remind",
            "reminded_at",
            "intent_level_applied",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return obj.author.display_name


class CallAnnotationInputSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    development_outlook = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    target_customers = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    competition = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    network_awareness = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    needs_category = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    awareness_category = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    intent_level = serializers.ChoiceField(choices=IntentLevel.choices, required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    next_step = serializers.ChoiceField(choices=NextStep.choices, required=False, default=NextStep.NONE)
    next_follow_up_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    remind = serializers.BooleanField(required=False, default=False)


class CallAnnotationViewSet(viewsets.GenericViewSet):
    """ACT-4 电话跟进批注: a call's annotations; earlier ones of a customer with ``?customer=``."""

    serializer_class = CallAnnotationSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "created_at", "intent_level", "next_follow_up_at"]
    ordering = ["-id"]
    required_permissions = {"*": Permission.CALL}

    def get_queryset(self):
        params = self.request.query_params
        level = params.get("intent_level")
        if level not in (None, "") and not level.lstrip("-").isdigit():
            raise InvalidInput(fields={"intent_level": [_("A whole number is required.")]})
        for name in ("customer", "author"):
            if params.get(name) and not params[name].isdigit():
                raise InvalidInput(fields={name: [_("A whole number is required.")]})
        filters = {
            "customer": params.get("customer"),
            "author": params.get("author"),
            "mine": params.get("mine") in {"1", "true"},
            "needs_category": params.get("needs_category"),
            "awareness_category": params.get("awareness_category"),
            "next_step": params.get("next_step"),
            "intent_level": int(level) if level not in (None, "") else None,
            "created_at__gte": _date(params, "created_at__gte"),
            "created_at__lte": _date(params, "created_at__lte"),
        }
        return selectors.annotation_list(user=self.request.user, filters=filters)

    @extend_schema(
        parameters=[
            OpenApiParameter("customer", int),
            OpenApiParameter("author", int),
            OpenApiParameter("mine", bool),
            OpenApiParameter("needs_category", str),
            OpenApiParameter("awareness_category", str),
            OpenApiParameter("next_step", str, enum=NextStep.values),
            OpenApiParameter("intent_level", int, enum=IntentLevel.values),
            OpenApiParameter("created_at__gte", str, description="YYYY-MM-DD"),
            OpenApiParameter("created_at__lte", str, description="YYYY-MM-DD"),
        ]
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CallAnnotationSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(CallAnnotationSerializer(selectors.annotation_get(user=request.user, pk=pk)).data)

    @extend_schema(
        request=CallAnnotationInputSerializer,
        responses={201: CallAnnotationSerializer},
        description="ACT-4. Seed 003 §1.1.2 submit rules answer 400 with `fields`: the first three annotations "
        "and `needs_category` go together; `network_awareness` and `awareness_category` go together.",
    )
    def create(self, request):
        data = CallAnnotationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer_id = values.pop("customer")
        annotation = services.annotation_create(actor=request.user, customer_id=customer_id, data=values)
        annotation = selectors.annotation_get(user=request.user, pk=annotation.pk)
        return Response(CallAnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)


def _date(params, name):
    value = params.get(name)
    if not value:
        return None
    try:
        from datetime import date

        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(fields={name: [_("Use the format YYYY-MM-DD.")]}) from None


# ---------------------------------------------------------------- the customer of a call


class LeaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=LeaseStatus.choices)


class InvalidMarkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone = serializers.CharField()
    reason = serializers.ChoiceField(choices=InvalidReason.choices)


class CallCustomerSerializer(serializers.Serializer):
    """Base info beside the call page (seed 003 §1: 客户基本资料)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    phone = serializers.CharField()
    mobile = serializers.CharField()
    primary_contact_name = serializers.CharField()
    primary_contact_mobile = serializers.CharField()
    address = serializers.CharField()
    website = serializers.CharField()
    category = serializers.CharField()
    industry = serializers.CharField()
    level = serializers.CharField()
    source = serializers.CharField()
    stage_name = serializers.CharField(source="stage.name")
    intent_level = serializers.IntegerField(allow_null=True)
    classification = serializers.ChoiceField(choices=Classification.choices)
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.CharField(allow_null=True)
    last_followed_at = serializers.DateTimeField(allow_null=True)
    remarks = serializers.CharField()
    numbers = serializers.ListField(child=serializers.CharField(), help_text="numbers one may report invalid")
    invalid_numbers = InvalidMarkSerializer(many=True)
    via_lease = serializers.BooleanField(help_text="seen only through today's phone lease")
    can_edit = serializers.BooleanField(help_text="may change the customer's intent level and source")
    lease = LeaseRefSerializer(allow_null=True)


class CallCustomerViewSet(viewsets.GenericViewSet):
    """ACT-4 the customer of the call page: one the user sees, or one leased to them today."""

    serializer_class = CallCustomerSerializer
    required_permissions = {"*": Permission.CALL}
    pagination_class = None

    def retrieve(self, request, pk=None):
        customer, via_lease = selectors.call_customer_get(user=request.user, pk=pk)
        lease = (
            PhoneLease.objects.filter(user_id=request.user.pk, customer_id=customer.pk, day=selectors.today())
            .exclude(status__in=[LeaseStatus.RELEASED, LeaseStatus.EXPIRED])
            .first()
        )
        row = {
            **{f: getattr(customer, f) for f in CallCustomerSerializer().fields if hasattr(customer, f)},
            "stage": customer.stage,
            "owner_id": customer.owner_id,
            "owner_name": customer.owner.display_name if customer.owner else None,
            "classification": classification_of(customer, timezone.now()),
            "numbers": selectors.customer_numbers(customer),
            "invalid_numbers": list(
                customer.invalid_phones.filter(status=InvalidStatus.OPEN).values("id", "phone", "reason")
            ),
            "via_lease": via_lease,
            "can_edit": services._may_edit(request.user, customer),
            "lease": {"id": lease.pk, "status": lease.status} if lease else None,
        }
        return Response(CallCustomerSerializer(row).data)


# ---------------------------------------------------------------- talk scripts


class TalkScriptSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = TalkScript
        fields = ["id", "kind", "category", "title", "content", "position", "is_active", "version", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"category": {"required": False}}


class TalkScriptViewSet(viewsets.GenericViewSet):
    """ACT-4 talk scripts by needs / awareness category and answers to common objections."""

    serializer_class = TalkScriptSerializer
    queryset = TalkScript.objects.none()  # for the schema only; reads go through selectors
    pagination_class = None
    required_permissions = {
        "create": Permission.MANAGE_TALK_SCRIPTS,
        "partial_update": Permission.MANAGE_TALK_SCRIPTS,
        "destroy": Permission.MANAGE_TALK_SCRIPTS,
    }

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=ScriptKind.values),
            OpenApiParameter("category", str),
            OpenApiParameter("active", bool),
        ],
        responses={200: TalkScriptSerializer(many=True)},
    )
    def list(self, request):
        params = request.query_params
        rows = selectors.talk_script_list(
            user=request.user,
            filters={
                "kind": params.get("kind"),
                "category": params.get("category"),
                "active": params.get("active") in {"1", "true"},
            },
        )
        return Response(TalkScriptSerializer(rows[:1000], many=True).data)

    @extend_schema(request=TalkScriptSerializer, responses={201: TalkScriptSerializer})
    def create(self, request):
        data = TalkScriptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        script = services.talk_script_create(actor=request.user, data=values)
        return Response(TalkScriptSerializer(script).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TalkScriptSerializer, responses={200: TalkScriptSerializer})
    def partial_update(self, request, pk=None):
        script = selectors.talk_script_get(user=request.user, pk=pk)
        data = TalkScriptSerializer(script, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        if version is None:
            raise InvalidInput(fields={"version": [_("Send back the version you read.")]})
        with current_on_stale(lambda: TalkScriptSerializer(selectors.talk_script_get(user=request.user, pk=pk)).data):
            script = services.talk_script_update(actor=request.user, script=script, version=version, data=values)
        return Response(TalkScriptSerializer(script).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.talk_script_delete(actor=request.user, script=selectors.talk_script_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- phone leases


class PhoneLeaseSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    phone = serializers.CharField(source="customer.phone", read_only=True)
    mobile = serializers.CharField(source="customer.mobile", read_only=True)
    contact_name = serializers.CharField(source="customer.primary_contact_name", read_only=True)
    contact_mobile = serializers.CharField(source="customer.primary_contact_mobile", read_only=True)
    intent_level = serializers.IntegerField(source="customer.intent_level", read_only=True, allow_null=True)
    last_followed_at = serializers.DateTimeField(source="customer.last_followed_at", read_only=True, allow_null=True)

    class Meta:
        model = PhoneLease
        fields = [
            "id",
            "customer",
            "customer_name",
            "phone",
            "mobile",
            "contact_name",
            "contact_mobile",
            "intent_level",
            "last_followed_at",
            "day",
            "status",
            "leased_at",
            "ended_at",
        ]
        read_only_fields = fields


class LeaseRequestSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=200)


class QuotaSerializer(serializers.Serializer):
    quota = serializers.IntegerField()
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()


class PhoneLeaseViewSet(viewsets.GenericViewSet):
    """电话申领 (seed 003 §6): today's numbers lent to me; request more within the quota; give back."""

    serializer_class = PhoneLeaseSerializer
    required_permissions = {"*": Permission.CALL}
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "status", "leased_at"]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=LeaseStatus.values),
            OpenApiParameter("day", str, description="YYYY-MM-DD, default today"),
        ]
    )
    def list(self, request):
        state = request.query_params.get("status")
        if state and state not in LeaseStatus.values:
            raise InvalidInput(fields={"status": [_("Unknown status.")]})
        rows = selectors.lease_list(user=request.user, day=_date(request.query_params, "day"), status=state)
        page = self.paginate_queryset(self.filter_queryset(rows))
        return self.get_paginated_response(PhoneLeaseSerializer(page, many=True).data)

    @extend_schema(
        request=LeaseRequestSerializer,
        responses={200: PhoneLeaseSerializer(many=True)},
        description="Lease the next numbers of the pool for today. Errors: 409 call_quota_reached, 409 pool_exhausted.",
        operation_id="phone_leases_request",
    )
    @action(detail=False, methods=["post"], url_path="request", url_name="request", pagination_class=None)
    def request_(self, request):
        data = LeaseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        leases = services.lease_request(actor=request.user, count=data.validated_data["count"])
        return Response(PhoneLeaseSerializer(leases, many=True).data)

    @extend_schema(
        request=IdsSerializer,
        responses={200: BatchResultSerializer},
        description="Give unused numbers back. Failure codes: not_found, lease_not_active.",
    )
    @action(detail=False, methods=["post"])
    def release(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.lease_release(actor=request.user, ids=data.validated_data["ids"])
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(responses={200: QuotaSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def quota(self, request):
        quota = selectors.daily_quota()
        used = selectors.lease_used(user=request.user)
        return Response(QuotaSerializer({"quota": quota, "used": used, "remaining": max(quota - used, 0)}).data)


# ---------------------------------------------------------------- invalid numbers (ACT-6)


class InvalidPhoneSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    marked_by_name = serializers.SerializerMethodField()
    resolved_by_name = serializers.SerializerMethodField()

    class Meta:
        model = InvalidPhone
        fields = [
            "id",
            "customer",
            "customer_name",
            "phone",
            "reason",
            "note",
            "status",
            "marked_by",
            "marked_by_name",
            "created_at",
            "resolved_by",
            "resolved_by_name",
            "resolved_at",
            "resolution",
        ]
        read_only_fields = fields

    def get_marked_by_name(self, obj) -> str:
        return obj.marked_by.display_name

    def get_resolved_by_name(self, obj) -> str | None:
        return obj.resolved_by.display_name if obj.resolved_by else None


class InvalidPhoneInputSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    phone = serializers.CharField(max_length=30)
    reason = serializers.ChoiceField(choices=InvalidReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InvalidPhoneResolveSerializer(IdsSerializer):
    resolution = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InvalidStatsSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    user_name = serializers.CharField()
    department_name = serializers.CharField()
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    empty = serializers.IntegerField()
    wrong_person = serializers.IntegerField()
    stopped = serializers.IntegerField()
    other = serializers.IntegerField()


class InvalidPhoneViewSet(viewsets.GenericViewSet):
    """ACT-6 无效号码: report, list for cleanup, clean up, count per rep."""

    serializer_class = InvalidPhoneSerializer
    required_permissions = {"*": Permission.CALL}
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "created_at", "phone", "reason", "status"]
    ordering = ["-id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=InvalidStatus.values),
            OpenApiParameter("reason", str, enum=InvalidReason.values),
            OpenApiParameter("marked_by", int),
            OpenApiParameter("customer", int),
            OpenApiParameter("q", str, description="number or customer name"),
        ]
    )
    def list(self, request):
        params = request.query_params
        for name in ("marked_by", "customer"):
            if params.get(name) and not params[name].isdigit():
                raise InvalidInput(fields={name: [_("A whole number is required.")]})
        filters = {k: params.get(k) for k in ("status", "reason", "marked_by", "customer", "q")}
        rows = selectors.invalid_phone_list(user=request.user, filters=filters)
        page = self.paginate_queryset(self.filter_queryset(rows))
        return self.get_paginated_response(InvalidPhoneSerializer(page, many=True).data)

    @extend_schema(
        request=InvalidPhoneInputSerializer,
        responses={201: InvalidPhoneSerializer},
        description="Errors: 400 (fields: the number is not the customer's); 404 customer; 409 already_marked.",
    )
    def create(self, request):
        data = InvalidPhoneInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        mark = services.invalid_phone_mark(
            actor=request.user, customer_id=d["customer"], phone=d["phone"], reason=d["reason"], note=d["note"]
        )
        return Response(InvalidPhoneSerializer(mark).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InvalidPhoneResolveSerializer,
        responses={200: BatchResultSerializer},
        description="Cleaned up. Failure codes: not_found, read_only, already_resolved.",
    )
    @action(detail=False, methods=["post"])
    def resolve(self, request):
        data = InvalidPhoneResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        result = services.invalid_phone_resolve(actor=request.user, ids=d["ids"], resolution=d["resolution"])
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM, default this month")],
        responses={200: InvalidStatsSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def stats(self, request):
        year, month = _month(request.query_params.get("month"))
        rows = selectors.invalid_phone_stats(user=request.user, year=year, month=month)
        return Response(InvalidStatsSerializer(rows, many=True).data)


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
