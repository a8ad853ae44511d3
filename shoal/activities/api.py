"""Activities API (ACT-1, ACT-2, ACT-3, ACT-5, ORG-7): parse, call a service or selector, render."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.activities import filters, selectors, services
from shoal.activities.models import (
    Channel,
    CommentKind,
    ContactPlan,
    Interaction,
    PlanStatus,
    ScheduleComment,
    ScheduleItem,
    Visit,
    Weight,
)
from shoal.activities.permissions import Permission
from shoal.core.errors import InvalidInput, NotFound, current_on_stale
from shoal.core.pagination import PageNumberPagination
from shoal.core.versioning import versioned_input
from shoal.customers.api import CappedCountPaginator
from shoal.customers.models import Contact, IntentLevel
from shoal.customers.selectors import customer_get
from shoal.org.models import User

# ---------------------------------------------------------------- lists


class ActivityPagination(PageNumberPagination):
    """Counts stay cheap on millions of interactions: exact up to 10,000, estimated above."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        return Response(
            {"count": self.page.paginator.count, "count_is_estimate": self.page.paginator.estimated, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "results"],
            "properties": {
                "count": {"type": "integer"},
                "count_is_estimate": {"type": "boolean"},
                "results": schema,
            },
        }


class Ordering(OrderingFilter):
    """Any listed column (``ALIASES`` maps names to lookups); ties broken by id."""

    def get_ordering(self, request, queryset, view):
        aliases = getattr(view, "ordering_aliases", {})
        ordering = super().get_ordering(request, queryset, view) or list(view.ordering)
        mapped = []
        for term in ordering:
            desc = term.startswith("-")
            name = aliases.get(term.lstrip("-"), term.lstrip("-"))
            mapped.append(("-" if desc else "") + name)
        if not any(t.lstrip("-") == "id" for t in mapped):
            mapped.append("-id" if mapped and mapped[0].startswith("-") else "id")
        return mapped


def _name(user) -> str | None:
    return user.display_name if user is not None else None


def _customer_of(request, pk) -> object:
    """The customer a record is added to: one the caller cannot see is a 404, as at its own address."""
    return customer_get(user=request.user, pk=pk)


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version read; a stale one gets 409 stale_version")


# ---------------------------------------------------------------- interactions (ACT-1)


class InteractionSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    user_name = serializers.SerializerMethodField()
    department_name = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=Channel.choices)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "customer",
            "customer_name",
            "contact",
            "contact_name",
            "channel",
            "occurred_at",
            "user",
            "user_name",
            "department",
            "department_name",
            "content",
            "needs",
            "quoted_price",
            "concerns",
            "next_step",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_user_name(self, obj) -> str | None:
        return _name(obj.user)

    def get_department_name(self, obj) -> str | None:
        return obj.department.name if obj.department_id else None


class InteractionInputSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    occurred_at = serializers.DateTimeField(required=False, help_text="default: now")
    content = serializers.CharField(max_length=5000, help_text="what was discussed")
    needs = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    quoted_price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    concerns = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    next_step = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class InteractionCreateSerializer(InteractionInputSerializer):
    customer = serializers.IntegerField(min_value=1)


class InteractionUpdateSerializer(InteractionInputSerializer, _Versioned):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    content = serializers.CharField(max_length=5000, required=False)


def _filter_params(filterset) -> list[OpenApiParameter]:
    types = {"customer": int, "user": int, "department": int, "weight": int, "intent_level_after": int}
    bools = {"done", "approved"}
    return [
        OpenApiParameter(name, bool if name in bools else types.get(name, OpenApiTypes.STR))
        for name in filterset.base_filters
    ]


ORDERING_PARAM = OpenApiParameter("ordering", str, description="any listed column, '-' for descending")


class InteractionViewSet(viewsets.GenericViewSet):
    """ACT-1 交往记录 / 跟进记录: every record of the customers the caller sees."""

    pagination_class = ActivityPagination
    filter_backends = [Ordering]
    ordering = ["-occurred_at"]
    ordering_fields = ["id", "occurred_at", "channel", "customer_name", "user_name", "quoted_price", "created_at"]
    ordering_aliases = {"customer_name": "customer__name", "user_name": "user__name"}
    serializer_class = InteractionSerializer
    required_permissions = {"*": Permission.INTERACTION}

    def get_queryset(self):
        qs = selectors.interaction_list(user=self.request.user)
        return filters.apply(filters.InteractionFilter, qs, self.request.query_params)

    def _render(self, pk) -> dict:
        return InteractionSerializer(selectors.interaction_get(user=self.request.user, pk=pk)).data

    @extend_schema(parameters=[*_filter_params(filters.InteractionFilter), ORDERING_PARAM])
    def list(self, request):
        # A deferred join: count and cut the page on ids alone, then load that page's rows.
        ordered = self.filter_queryset(self.get_queryset())
        page_ids = self.paginate_queryset(ordered.select_related(None).values_list("pk", flat=True))
        rows = selectors.interaction_rows(page_ids)
        return self.get_paginated_response(InteractionSerializer([rows[pk] for pk in page_ids], many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._render(pk))

    @extend_schema(
        request=InteractionCreateSerializer,
        responses={201: InteractionSerializer},
        description="ACT-1. Errors: 400 invalid (fields; `customer` not found); 403 read_only.",
    )
    def create(self, request):
        data = InteractionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = _customer_of(request, values.pop("customer"))
        interaction = services.interaction_create(actor=request.user, customer=customer, data=values)
        return Response(self._render(interaction.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InteractionUpdateSerializer,
        responses={200: InteractionSerializer},
        description="Only its author. Errors: 403 not_author; 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        interaction = selectors.interaction_get(user=request.user, pk=pk)
        values, version = versioned_input(InteractionUpdateSerializer, request.data)
        with current_on_stale(lambda: self._render(pk)):
            services.interaction_update(actor=request.user, interaction=interaction, version=version, data=values)
        return Response(self._render(pk))


# ---------------------------------------------------------------- contact plans (ACT-2)


class ContactPlanSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    contact_name = serializers.SerializerMethodField()
    user_name = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=PlanStatus.choices)

    class Meta:
        model = ContactPlan
        fields = [
            "id",
            "user",
            "user_name",
            "customer",
            "customer_name",
            "contact",
            "contact_name",
            "channel",
            "planned_at",
            "purpose",
            "remind_minutes",
            "remind_at",
            "reminded_at",
            "status",
            "done_at",
            "interaction",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_contact_name(self, obj) -> str | None:
        return obj.contact.name if obj.contact_id else None

    def get_user_name(self, obj) -> str | None:
        return _name(obj.user)


class ContactPlanInputSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.PHONE)
    planned_at = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=500)
    remind_minutes = serializers.IntegerField(
        min_value=0,
        max_value=60 * 24 * 30,
        required=False,
        allow_null=True,
        help_text="remind this many minutes before",
    )


class ContactPlanCreateSerializer(ContactPlanInputSerializer):
    customer = serializers.IntegerField(min_value=1)


class ContactPlanUpdateSerializer(ContactPlanInputSerializer, _Versioned):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    planned_at = serializers.DateTimeField(required=False)
    purpose = serializers.CharField(max_length=500, required=False)


class PlanCountsSerializer(serializers.Serializer):
    today = serializers.IntegerField()
    overdue = serializers.IntegerField()
    coming = serializers.IntegerField()


class ContactPlanViewSet(viewsets.GenericViewSet):
    """ACT-2 联系计划. ``mine=true`` (我的计划) the caller's own; ``due`` today | overdue | coming | finished."""

    pagination_class = ActivityPagination
    filter_backends = [Ordering]
    ordering = ["planned_at"]
    ordering_fields = ["id", "planned_at", "customer_name", "user_name", "status", "channel", "created_at"]
    ordering_aliases = {"customer_name": "customer__name", "user_name": "user__name"}
    serializer_class = ContactPlanSerializer
    required_permissions = {"*": Permission.PLAN}

    def get_queryset(self):
        params = self.request.query_params
        due = params.get("due")
        if due and due not in {"today", "overdue", "coming", "finished"}:
            raise InvalidInput(fields={"due": [_("Choose today, overdue, coming or finished.")]})
        qs = selectors.contact_plan_list(user=self.request.user, due=due)
        if params.get("mine") in {"true", "1"}:
            qs = qs.filter(user=self.request.user)
        return filters.apply(filters.ContactPlanFilter, qs, params)

    def _get(self, pk) -> ContactPlan:
        return selectors.contact_plan_get(user=self.request.user, pk=pk)

    def _render(self, pk) -> dict:
        return ContactPlanSerializer(self._get(pk)).data

    @extend_schema(
        parameters=[
            OpenApiParameter("due", str, enum=["today", "overdue", "coming", "finished"]),
            OpenApiParameter("mine", bool, description="only the caller's own plans"),
            *_filter_params(filters.ContactPlanFilter),
            ORDERING_PARAM,
        ]
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ContactPlanSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._render(pk))

    @extend_schema(request=ContactPlanCreateSerializer, responses={201: ContactPlanSerializer})
    def create(self, request):
        data = ContactPlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = _customer_of(request, values.pop("customer"))
        plan = services.contact_plan_create(actor=request.user, customer=customer, data=values)
        return Response(self._render(plan.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ContactPlanUpdateSerializer,
        responses={200: ContactPlanSerializer},
        description="Errors: 403 not_plan_owner; 409 plan_closed; 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        plan = self._get(pk)
        values, version = versioned_input(ContactPlanUpdateSerializer, request.data)
        with current_on_stale(lambda: self._render(pk)):
            services.contact_plan_update(actor=request.user, plan=plan, version=version, data=values)
        return Response(self._render(pk))

    @extend_schema(
        request=InteractionInputSerializer,
        responses={201: InteractionSerializer},
        description="ACT-2: mark the plan done; it becomes the interaction sent. Errors: 403 not_plan_owner, "
        "read_only; 409 plan_closed.",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        plan = self._get(pk)
        data = InteractionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        interaction = services.contact_plan_complete(actor=request.user, plan=plan, data=dict(data.validated_data))
        return Response(InteractionSerializer(interaction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ContactPlanSerializer}, description="Errors: 409 plan_closed.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        plan = services.contact_plan_cancel(actor=request.user, plan=self._get(pk))
        return Response(self._render(plan.pk))

    @extend_schema(responses={200: PlanCountsSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        return Response(selectors.contact_plan_counts(user=request.user))


# ---------------------------------------------------------------- schedule (ACT-3, ORG-7)


class ScheduleCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=CommentKind.choices)

    class Meta:
        model = ScheduleComment
        fields = ["id", "kind", "body", "author", "author_name", "created_at"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str | None:
        return _name(obj.author)


class ScheduleItemSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    customer_name = serializers.SerializerMethodField()
    approved_by_name = serializers.SerializerMethodField()
    weight = serializers.ChoiceField(choices=Weight.choices)
    overdue = serializers.SerializerMethodField(help_text="not done and past its end: shown red")

    class Meta:
        model = ScheduleItem
        fields = [
            "id",
            "user",
            "user_name",
            "title",
            "description",
            "weight",
            "start_at",
            "end_at",
            "customer",
            "customer_name",
            "done",
            "done_at",
            "overdue",
            "approved_at",
            "approved_by",
            "approved_by_name",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_user_name(self, obj) -> str | None:
        return _name(obj.user)

    def get_customer_name(self, obj) -> str | None:
        return obj.customer.name if obj.customer_id else None

    def get_approved_by_name(self, obj) -> str | None:
        return _name(obj.approved_by) if obj.approved_by_id else None

    def get_overdue(self, obj) -> bool:
        return not obj.done and obj.end_at < self.context["now"]


class ScheduleInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    weight = serializers.ChoiceField(choices=Weight.choices, required=False, default=Weight.LOW)
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField(required=False, allow_null=True, help_text="default: the start")
    customer = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ScheduleUpdateSerializer(ScheduleInputSerializer, _Versioned):
    title = serializers.CharField(max_length=200, required=False)
    weight = serializers.ChoiceField(choices=Weight.choices, required=False)
    start_at = serializers.DateTimeField(required=False)
    done = serializers.BooleanField(required=False)


class ScheduleCommentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CommentKind.choices, default=CommentKind.COMMENT)
    body = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    department_name = serializers.CharField(allow_null=True)
    is_self = serializers.BooleanField()


class ScheduleViewSet(viewsets.GenericViewSet):
    """ACT-3 日程安排 of the caller and (ORG-7) of their subordinates. ``view``: mine (default) |
    subordinates | all (both); ``user`` one person of those."""

    pagination_class = ActivityPagination
    filter_backends = [Ordering]
    ordering = ["start_at"]
    ordering_fields = ["id", "start_at", "end_at", "weight", "title", "done", "user_name", "approved_at"]
    ordering_aliases = {"user_name": "user__name"}
    serializer_class = ScheduleItemSerializer
    required_permissions = {"*": Permission.SCHEDULE}

    def get_queryset(self):
        params = self.request.query_params
        view = params.get("view", "mine")
        if view not in {"mine", "subordinates", "all"}:
            raise InvalidInput(fields={"view": [_("Choose mine, subordinates or all.")]})
        qs = selectors.schedule_list(user=self.request.user)
        if view == "mine":
            qs = qs.filter(user=self.request.user)
        elif view == "subordinates":
            qs = qs.exclude(user=self.request.user)
        if params.get("overdue") in {"true", "1"}:
            from django.utils import timezone

            qs = qs.filter(selectors.overdue_q(timezone.now()))
        return filters.apply(filters.ScheduleFilter, qs, params)

    def _context(self) -> dict:
        from django.utils import timezone

        return {"now": timezone.now()}

    def _get(self, pk) -> ScheduleItem:
        return selectors.schedule_get(user=self.request.user, pk=pk)

    def _render(self, pk) -> dict:
        return ScheduleItemSerializer(self._get(pk), context=self._context()).data

    def _values(self, data: dict) -> dict:
        # The related customer is optional: one the caller cannot see is a field error here.
        if data.get("customer") is not None:
            try:
                data["customer"] = customer_get(user=self.request.user, pk=data["customer"])
            except NotFound:
                raise InvalidInput(fields={"customer": [_("Not found.")]}) from None
        return data

    @extend_schema(
        parameters=[
            OpenApiParameter("view", str, enum=["mine", "subordinates", "all"], description="default mine"),
            OpenApiParameter("overdue", bool, description="not done and past the end"),
            *_filter_params(filters.ScheduleFilter),
            ORDERING_PARAM,
        ]
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ScheduleItemSerializer(page, many=True, context=self._context()).data)

    def retrieve(self, request, pk=None):
        return Response(self._render(pk))

    @extend_schema(request=ScheduleInputSerializer, responses={201: ScheduleItemSerializer})
    def create(self, request):
        data = ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.schedule_create(actor=request.user, data=self._values(dict(data.validated_data)))
        return Response(self._render(item.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ScheduleUpdateSerializer,
        responses={200: ScheduleItemSerializer},
        description="Edit, or tick `done`. Only the owner. Errors: 403 not_schedule_owner; 409 stale_version.",
    )
    def partial_update(self, request, pk=None):
        item = self._get(pk)
        data = ScheduleUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = self._values(dict(data.validated_data))
        if "version" not in values:
            raise InvalidInput(fields={"version": [_("Send back the version you read.")]})
        version = values.pop("version")
        with current_on_stale(lambda: self._render(pk)):
            services.schedule_update(actor=request.user, item=item, version=version, data=values)
        return Response(self._render(pk))

    @extend_schema(methods=["get"], responses={200: ScheduleCommentSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        request=ScheduleCommentInputSerializer,
        responses={201: ScheduleCommentSerializer},
        description="ORG-7: `comment` (owner or superior), `approval` 批复 and `reminder` (superiors, "
        "activity.review_schedule; the owner is notified). Errors: 403 not_superior; 409 already_approved.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        item = self._get(pk)
        if request.method == "POST":
            data = ScheduleCommentInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = services.schedule_comment(actor=request.user, item=item, **data.validated_data)
            return Response(ScheduleCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(
            ScheduleCommentSerializer(selectors.schedule_comments(user=request.user, item=item), many=True).data
        )

    @extend_schema(responses={200: PersonSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def people(self, request):
        """Whose schedules the caller sees: themselves first, then their subordinates."""
        ids = selectors.schedule_owner_ids(request.user)
        users = User.objects.filter(pk__in=sorted(ids), is_active=True).select_related("department")
        rows = sorted(users, key=lambda u: (u.pk != request.user.pk, u.display_name))
        return Response(
            PersonSerializer(
                [
                    {
                        "id": u.pk,
                        "name": u.display_name,
                        "department_name": u.department.name if u.department_id else None,
                        "is_self": u.pk == request.user.pk,
                    }
                    for u in rows
                ],
                many=True,
            ).data
        )


# ---------------------------------------------------------------- visits (ACT-5)


class _Named(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VisitSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    user_name = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    companions = serializers.SerializerMethodField()
    intent_level_after = serializers.ChoiceField(choices=IntentLevel.choices, allow_null=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "user",
            "user_name",
            "customer",
            "customer_name",
            "contacts",
            "companions",
            "visited_at",
            "place",
            "purpose",
            "outcome",
            "intent_level_after",
            "next_step",
            "plan",
            "interaction",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_user_name(self, obj) -> str | None:
        return _name(obj.user)

    @extend_schema_field(_Named(many=True))
    def get_contacts(self, obj) -> list[dict]:
        return [{"id": c.pk, "name": c.name} for c in obj.contacts.all()]

    @extend_schema_field(_Named(many=True))
    def get_companions(self, obj) -> list[dict]:
        return [{"id": u.pk, "name": u.display_name} for u in obj.companions.all()]


class VisitCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    contacts = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), many=True, required=False)
    companions = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    visited_at = serializers.DateTimeField(required=False, help_text="default: now")
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=500, required=False, allow_blank=True)
    outcome = serializers.CharField(max_length=5000)
    intent_level_after = serializers.ChoiceField(choices=IntentLevel.choices, required=False, allow_null=True)
    next_step = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    plan = serializers.IntegerField(min_value=1, required=False, allow_null=True, help_text="the plan it fulfils")


class VisitViewSet(viewsets.GenericViewSet):
    """ACT-5 出访记录 of the customers the caller sees."""

    pagination_class = ActivityPagination
    filter_backends = [Ordering]
    ordering = ["-visited_at"]
    ordering_fields = ["id", "visited_at", "customer_name", "user_name", "intent_level_after", "created_at"]
    ordering_aliases = {"customer_name": "customer__name", "user_name": "user__name"}
    serializer_class = VisitSerializer
    required_permissions = {"*": Permission.VISIT}

    def get_queryset(self):
        qs = selectors.visit_list(user=self.request.user)
        return filters.apply(filters.VisitFilter, qs, self.request.query_params)

    def _render(self, pk) -> dict:
        return VisitSerializer(selectors.visit_get(user=self.request.user, pk=pk)).data

    @extend_schema(parameters=[*_filter_params(filters.VisitFilter), ORDERING_PARAM])
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(VisitSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._render(pk))

    @extend_schema(
        request=VisitCreateSerializer,
        responses={201: VisitSerializer},
        description="ACT-5; also logs an interaction (channel visit). Errors: 400 invalid; 403 read_only; "
        "409 plan_closed.",
    )
    def create(self, request):
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = _customer_of(request, values.pop("customer"))
        plan = None
        plan_pk = values.pop("plan", None)
        if plan_pk is not None:
            try:
                plan = selectors.contact_plan_get(user=request.user, pk=plan_pk)
            except NotFound:
                raise InvalidInput(fields={"plan": [_("Not found.")]}) from None
        visit = services.visit_create(
            actor=request.user,
            customer=customer,
            data=values,
            contacts=values.pop("contacts", []),
            companions=values.pop("companions", []),
            plan=plan,
        )
        return Response(self._render(visit.pk), status=status.HTTP_201_CREATED)
