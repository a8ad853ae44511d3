"""Customers API (CUS-1…11, CUS-15): parse, call a service or selector, render. No rules here."""

import json

from django.core.paginator import PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import F
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput, NotFound, current_on_stale
from shoal.core.pagination import PageNumberPagination
from shoal.core.versioning import versioned_input
from shoal.customers import selectors, services
from shoal.customers.filters import CustomerFilter
from shoal.customers.models import (
    Contact,
    Customer,
    CustomerEvent,
    CustomerRelation,
    EventAction,
    IntentLevel,
    Share,
    ShareAccess,
    Stage,
)
from shoal.customers.permissions import Permission
from shoal.pools import services as pool_rules

# ---------------------------------------------------------------- paging with a capped count


class CappedCountPaginator(Paginator):
    """Pages over an ordered queryset of ids with a count that stays cheap at a million rows.

    ``PREFETCH`` > 0 (quick search, whose matches are usually few): one query fetches up to that many
    ids in order; if that is all of them, their number is the count and every page is a slice — the
    search runs once instead of once for the count and again for the page. Otherwise (or with
    ``PREFETCH`` 0, plain lists): the count is exact up to ``CAP`` (a LIMITed sub-select) and
    PostgreSQL's planner estimate beyond it (``SELECT count(*)`` over a million rows would cost more
    than the page), and pages come from the prefetched ids or a LIMIT/OFFSET query."""

    CAP = 10_000
    PREFETCH = 0
    estimated = False
    _ids: list = []
    _complete = False

    @cached_property
    def count(self) -> int:
        if self.PREFETCH:
            ids = list(self.object_list[: self.PREFETCH + 1])
            self._ids, self._complete = ids[: self.PREFETCH], len(ids) <= self.PREFETCH
            if self._complete:
                return len(ids)
        capped = self.object_list.order_by()[: self.CAP + 1].count()
        if capped <= self.CAP:
            return capped
        if connection.vendor != "postgresql":
            return self.object_list.order_by().count()
        self.estimated = True
        sql, params = self.object_list.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), capped)

    def page(self, number):
        self.count  # noqa: B018 — decides between the prefetched ids, an estimate and a plain page
        if self.estimated:
            # An estimate must neither cut pages short nor refuse later ones: slice without clipping.
            try:
                number = max(int(number), 1)
            except (TypeError, ValueError):
                raise PageNotAnInteger(_("That page number is not an integer")) from None
        else:
            number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self._complete or top <= len(self._ids):
            return self._get_page(self._ids[bottom:top], number, self)
        if not self.estimated:
            return super().page(number)
        return self._get_page(list(self.object_list[bottom:top]), number, self)


class SearchPaginator(CappedCountPaginator):
    PREFETCH = 2_000


class CustomerPagination(PageNumberPagination):
    django_paginator_class = CappedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # A quick search with few matches (the usual case) fetches them all at once; a broad one
        # (a common word, one or two letters) is counted up to the cap and paged like a plain list.
        q = request.query_params.get("q")
        few = bool(q) and (selectors.customer_search_estimate(q) or 0) <= SearchPaginator.PREFETCH
        self.django_paginator_class = SearchPaginator if few else CappedCountPaginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.estimated,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "results"],
            "properties": {
                "count": {"type": "integer"},
                "count_is_estimate": {
                    "type": "boolean",
                    "description": "true when more than 10,000 rows match: count is the database's estimate",
                },
                "results": schema,
            },
        }


class CustomerOrdering(OrderingFilter):
    """Any listed column; ties broken by id so pages never overlap."""

    ALIASES = {
        "stage": "stage__position",
        "owner": "owner__name",
        "owner_name": "owner__name",
        "days_left": "return_due_at",
    }
    NULLS_LAST = {"return_due_at"}  # CUS-1 countdown: customers without one sort after every countdown

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view) or ["-id"]
        mapped = []
        for term in ordering:
            desc = term.startswith("-")
            name = self.ALIASES.get(term.lstrip("-"), term.lstrip("-"))
            if name in self.NULLS_LAST:
                mapped.append(F(name).desc(nulls_last=True) if desc else F(name).asc(nulls_last=True))
            else:
                mapped.append(("-" if desc else "") + name)
        if not any(isinstance(t, str) and t.lstrip("-") == "id" for t in mapped):
            mapped.append("-id")
        return mapped


class PoolOrdering(CustomerOrdering):
    """CUS-1: the pool sorts on the columns it shows only — sorting next to a customer of one's own on
    a private column (a contact's mobile) would reveal it by bisection. Other columns are ignored."""

    def get_valid_fields(self, queryset, view, context=None):
        shown = {"id", "owner", "owner_name", *selectors.public_fields()}
        return [(f, label) for f, label in super().get_valid_fields(queryset, view, context or {}) if f in shown]


ORDERING_FIELDS = [
    "id",
    "name",
    "short_name",
    "category",
    "industry",
    "level",
    "source",
    "stage",
    "intent_level",
    "province",
    "city",
    "district",
    "owner",
    "owner_name",
    "claimed_at",
    "last_followed_at",
    "created_at",
    "updated_at",
    "primary_contact_name",
    "primary_contact_mobile",
    "return_due_at",
    "days_left",
]


# ---------------------------------------------------------------- serializers


class StageSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Stage
        fields = ["id", "code", "name", "color", "position", "is_active", "version"]
        extra_kwargs = {"code": {"validators": []}}


class StageUpdateSerializer(StageSerializer):
    class Meta(StageSerializer.Meta):
        read_only_fields = ["code"]


class CustomerSerializer(serializers.ModelSerializer):
    stage_code = serializers.CharField(source="stage.code", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    classification = serializers.SerializerMethodField()
    claimed = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()
    owner_department = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField(help_text="CUS-1 剩余天数 until auto-return; null: none")
    locked = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "short_name",
            "credit_code",
            "category",
            "industry",
            "level",
            "source",
            "stage",
            "stage_code",
            "stage_name",
            "intent_level",
            "classification",
            "province",
            "city",
            "district",
            "address",
            "phone",
            "mobile",
            "website",
            "remarks",
            "owner",
            "owner_name",
            "owner_department",
            "claimed",
            "claimed_at",
            "last_followed_at",
            "primary_contact_name",
            "primary_contact_mobile",
            "created_at",
            "updated_at",
            "created_by",
            "deleted_at",
            "version",
            "pool",
            "return_due_at",
            "return_rule",
            "days_left",
            "locked",
        ]
        read_only_fields = fields
        extra_kwargs = {"pool": {"help_text": "null: the default pool"}}

    def get_classification(self, obj) -> str:
        return selectors.classification_of(obj)

    def get_claimed(self, obj) -> bool:
        return obj.owner_id is not None

    def get_owner_name(self, obj) -> str | None:
        return obj.owner.display_name if obj.owner_id else None

    def get_owner_department(self, obj) -> str | None:
        return obj.owner.department.name if obj.owner_id and obj.owner.department_id else None

    def get_days_left(self, obj) -> int | None:
        return pool_rules.days_left(obj.return_due_at)

    def get_locked(self, obj) -> bool:
        return obj.locked_at is not None


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=30)
    color = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class CustomerDetailSerializer(CustomerSerializer):
    access = serializers.SerializerMethodField()
    can_share = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "access", "can_share", "tags"]
        read_only_fields = fields

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, obj) -> list:
        return TagSerializer(selectors.customer_tags(user=self.context["request"].user, customer=obj), many=True).data

    def get_access(self, obj) -> str:
        """owner | write | read — what the web app may offer (the server re-checks)."""
        return selectors.customer_access(user=self.context["request"].user, customer=obj) or "read"

    def get_can_share(self, obj) -> bool:
        """CUS-5: may this person change whom it is shared with (owner, manager in scope, entrant)."""
        return selectors.customer_may_share(user=self.context["request"].user, customer=obj)


class SocialRelationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    relation_type = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=50)
    remarks = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ContactSerializer(serializers.ModelSerializer):
    social_relations = SocialRelationSerializer(many=True, required=False)

    class Meta:
        model = Contact
        fields = [
            "id",
            "is_primary",
            "name",
            "title",
            "mobile",
            "phone",
            "email",
            "wechat",
            "qq",
            "birthday",
            "remarks",
            "social_relations",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class CustomerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, allow_null=True)
    category = serializers.CharField(max_length=50, required=False, allow_blank=True)
    industry = serializers.CharField(max_length=50, required=False, allow_blank=True)
    level = serializers.CharField(max_length=50, required=False, allow_blank=True)
    source = serializers.CharField(max_length=50, required=False, allow_blank=True, help_text="default: system")
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.all(), required=False)
    intent_level = serializers.ChoiceField(choices=IntentLevel.choices, required=False, allow_null=True)
    province = serializers.CharField(max_length=12, required=False, allow_blank=True)
    city = serializers.CharField(max_length=12, required=False, allow_blank=True)
    district = serializers.CharField(max_length=12, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CustomerCreateSerializer(CustomerInputSerializer):
    contacts = ContactSerializer(many=True, required=False)
    claim = serializers.BooleanField(required=False, default=False, help_text="CUS-2 create and claim")
    force = serializers.BooleanField(
        required=False, default=False, help_text="save an exact duplicate (customer.force_duplicate)"
    )


class CustomerUpdateSerializer(CustomerInputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    version = serializers.IntegerField(help_text="the version read; a stale one gets 409 stale_version")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class _OmittedUnlessPublic(serializers.IntegerField):
    """Nullable, yet left out (not rendered as null) when the field is not public."""

    def get_attribute(self, instance):
        if self.field_name not in instance:
            raise SkipField()
        return instance[self.field_name]


class PoolCustomerSerializer(serializers.Serializer):
    """CUS-1: public info (the fields of parameter public_fields) + claim status; nothing else."""

    id = serializers.IntegerField()
    claimed = serializers.BooleanField()
    owner_name = serializers.CharField(allow_null=True)
    pool = serializers.IntegerField(allow_null=True, help_text="null: the default pool")
    phone_masked = serializers.CharField(
        allow_null=True, help_text="CUS-1: 138****5678 while unclaimed, if the pool masks"
    )
    mobile_masked = serializers.CharField(allow_null=True)
    name = serializers.CharField(required=False)
    short_name = serializers.CharField(required=False)
    category = serializers.CharField(required=False)
    industry = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
    stage = serializers.IntegerField(required=False)
    stage_code = serializers.CharField(required=False)
    stage_name = serializers.CharField(required=False)
    intent_level = _OmittedUnlessPublic(required=False, allow_null=True)
    source = serializers.CharField(required=False)
    province = serializers.CharField(required=False)
    city = serializers.CharField(required=False)
    district = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    website = serializers.CharField(required=False)
    created_at = serializers.DateTimeField(required=False)


def pool_rows(customers, fields: list[str]) -> list[dict]:
    book = pool_rules.RulesBook()
    rows = []
    for c in customers:
        owner = c.owner if c.owner_id else None
        # CUS-1 masked phones: shown as 138****5678 while in the pool, never once claimed (private then).
        masked = owner is None and book.of(c.pool_id).mask_phones
        row = {
            "id": c.pk,
            "claimed": owner is not None,
            "owner_name": owner.display_name if owner else None,
            "pool": c.pool_id,
            "phone_masked": pool_rules.mask_phone(c.phone) if masked and c.phone else None,
            "mobile_masked": pool_rules.mask_phone(c.mobile or c.primary_contact_mobile)
            if masked and (c.mobile or c.primary_contact_mobile)
            else None,
        }
        for field in fields:
            if field == "stage":
                row.update(stage=c.stage_id, stage_code=c.stage.code, stage_name=c.stage.name)
            else:
                row[field] = getattr(c, field)
        rows.append(row)
    return PoolCustomerSerializer(rows, many=True).data


class ReasonMixin(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BatchSerializer(IdsSerializer, ReasonMixin):
    pass


class ReturnSerializer(BatchSerializer):
    pool = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="target pool; default: the pool it came from"
    )


class AssignSerializer(BatchSerializer):
    to = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    strategy = serializers.ChoiceField(choices=["even"], required=False, allow_null=True)


class ShareInputSerializer(BatchSerializer):
    users = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    departments = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    access = serializers.ChoiceField(choices=ShareAccess.choices, required=False, default=ShareAccess.READ)
    until = serializers.DateField(required=False, allow_null=True, help_text="last day the share works")


class UnshareSerializer(BatchSerializer):
    users = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    departments = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class PromoteSerializer(BatchSerializer):
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(), required=False, allow_null=True, help_text="default: the next stage"
    )


class MergeSerializer(BatchSerializer):
    target = serializers.IntegerField(min_value=1, help_text="the customer that survives")
    values = CustomerUpdateSerializer(
        required=False,
        partial=True,
        help_text="values chosen for the survivor (with its `version`), saved in the same transaction as the merge",
    )


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_null=True)
    score = serializers.FloatField()
    exact = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=["name", "phone"]))
    visible = serializers.BooleanField(help_text="false: not yours to see — only who has it is told")
    claimed = serializers.BooleanField()
    owner_name = serializers.CharField(allow_null=True)
    owner_department = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ShareSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    department_name = serializers.SerializerMethodField()
    created_by_name = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = Share
        fields = [
            "id",
            "user",
            "user_name",
            "department",
            "department_name",
            "access",
            "until",
            "active",
            "created_by",
            "created_by_name",
            "created_at",
        ]

    def get_user_name(self, obj) -> str | None:
        return obj.user.display_name if obj.user_id else None

    def get_department_name(self, obj) -> str | None:
        return obj.department.name if obj.department_id else None

    def get_created_by_name(self, obj) -> str | None:
        return obj.created_by.display_name if obj.created_by_id else None

    def get_active(self, obj) -> bool:
        from django.utils import timezone

        return obj.until is None or obj.until >= timezone.localdate()


class EventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    action = serializers.ChoiceField(choices=EventAction.choices)
    changes = serializers.JSONField()

    class Meta:
        model = CustomerEvent
        fields = ["id", "action", "actor", "actor_name", "reason", "changes", "created_at"]

    def get_actor_name(self, obj) -> str | None:
        return obj.actor.display_name if obj.actor_id else None


class RelationSerializer(serializers.ModelSerializer):
    from_customer_name = serializers.CharField(source="from_customer.name", read_only=True)
    to_customer_name = serializers.CharField(source="to_customer.name", read_only=True)

    class Meta:
        model = CustomerRelation
        fields = [
            "id",
            "from_customer",
            "from_customer_name",
            "to_customer",
            "to_customer_name",
            "relation_type",
            "remarks",
            "created_at",
        ]
        read_only_fields = ["id", "from_customer", "created_at"]


class RelationInputSerializer(serializers.Serializer):
    to_customer = serializers.IntegerField(min_value=1)
    relation_type = serializers.CharField(max_length=50)
    remarks = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IntentLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    tips = serializers.CharField()


# CUS-8, seed 003 §1.1.3: what the level means and what to stress in the conversation.
INTENT_TIPS = {
    -1: (
        _("The customer refuses"),
        _("Persist: call again at intervals; prepare a good opening; show your expertise to win the customer's trust."),
    ),
    0: (
        _("Does not refuse / knows little about online promotion"),
        _(
            "Show understanding of complaints, find out what exactly they are about and analyse them; do not "
            "pressure the customer, keep the atmosphere relaxed."
        ),
    ),
    1: (
        _("Willing to talk, interacts with the sales rep"),
        _("Build trust with the customer; use the tools flexibly to make the customer's needs explicit."),
    ),
    2: (
        _("Actively learns about the product and weighs its value"),
        _(
            "Know the product thoroughly and with confidence; catch the customer's key needs and answer questions "
            "well (e.g. how it differs from their current channels); press for a visit."
        ),
    ),
    3: (
        _("Considering the deal"),
        _(
            "Remove the customer's practical obstacles so there is no excuse not to sign; test for the close in "
            "every way; create urgency with closing techniques."
        ),
    ),
    4: (_("The customer confirms the deal"), _("Sign the contract and arrange delivery and payment promptly.")),
}


# ---------------------------------------------------------------- views

LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="quick search: name, contacts, phone digits, pinyin initials"),
    *[
        OpenApiParameter(name, OpenApiTypes.STR)
        for name in CustomerFilter.base_filters
        if name not in {"owner", "department", "created_by", "stage_id", "intent_level", "claimed", "tag"}
    ],
    OpenApiParameter("owner", int),
    OpenApiParameter("department", int, description="owner's department and those below it"),
    OpenApiParameter("created_by", int),
    OpenApiParameter("stage_id", int),
    OpenApiParameter("intent_level", int, enum=IntentLevel.values),
    OpenApiParameter("claimed", bool),
    OpenApiParameter("tag", int, description="customers carrying this tag (not in the pool: tags are not public)"),
    OpenApiParameter("ordering", str, description="any listed column, '-' for descending"),
]


def _paged(view, queryset) -> list[Customer]:
    """Page on ids alone (count and slice without the joins), then load just that page's rows with
    their related rows — a deferred join: the database never joins rows it will not show."""
    page_ids = view.paginate_queryset(queryset.select_related(None).values_list("pk", flat=True))
    rows = Customer.objects.select_related("stage", "owner", "owner__department").in_bulk(page_ids)
    return [rows[pk] for pk in page_ids if pk in rows]


def _batch_response(result):
    return Response(BatchResultSerializer(result.as_dict()).data)


class CustomerViewSet(viewsets.GenericViewSet):
    pagination_class = CustomerPagination
    filter_backends = [CustomerOrdering]
    ordering_fields = ORDERING_FIELDS
    serializer_class = CustomerSerializer
    required_permissions = {
        "create": Permission.CREATE,
        "partial_update": Permission.EDIT,
        "claim": Permission.CLAIM,
        "return_": Permission.RETURN,
        "recall": Permission.RECALL,
        "assign": Permission.ASSIGN,
        "share": Permission.SHARE,
        "unshare": Permission.SHARE,
        "promote": Permission.PROMOTE,
        "delete_": Permission.DELETE,
        "restore": Permission.RESTORE,
        "merge": Permission.MERGE,
    }

    def get_queryset(self):
        view = self.request.query_params.get("view", "all")
        if view not in {"mine", "shared", "all", "deleted"}:
            raise InvalidInput(fields={"view": [_("Choose mine, shared, all or deleted.")]})
        return selectors.customer_list(user=self.request.user, view=view, filters=self.request.query_params)

    def _get(self, pk, *, deleted=False) -> Customer:
        return selectors.customer_get(user=self.request.user, pk=pk, deleted=deleted)

    def _detail(self, pk) -> dict:
        return CustomerDetailSerializer(self._get(pk), context={"request": self.request}).data

    @extend_schema(
        parameters=[
            OpenApiParameter("view", str, enum=["mine", "shared", "all", "deleted"], description="default all"),
            *LIST_PARAMETERS,
        ]
    )
    def list(self, request):
        page = _paged(self, self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CustomerSerializer(page, many=True).data)

    @extend_schema(responses={200: CustomerDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        request=CustomerCreateSerializer,
        responses={201: CustomerDetailSerializer},
        description="CUS-1/2. Errors: 400 invalid (fields); 409 duplicate_customer with `duplicates` (an exact "
        "duplicate; managers may send `force: true`); 409 claim_limit_reached (with `claim: true`).",
    )
    def create(self, request):
        data = CustomerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        contacts = [dict(c) for c in values.pop("contacts", [])]
        for contact in contacts:
            contact["social_relations"] = [dict(r) for r in contact.get("social_relations", [])]
        customer = services.customer_create(
            actor=request.user,
            data=values,
            contacts=contacts,
            claim=values.pop("claim", False),
            force=values.pop("force", False),
        )
        return Response(self._detail(customer.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CustomerUpdateSerializer,
        responses={200: CustomerDetailSerializer},
        description="CUS-2 edit. Errors: 400 invalid (fields); 403 read_only (a read-only share); 409 stale_version "
        "with `current`, the record as it is now.",
    )
    def partial_update(self, request, pk=None):
        customer = self._get(pk)
        values, version = versioned_input(CustomerUpdateSerializer, request.data)
        reason = values.pop("reason", "")
        with current_on_stale(lambda: self._detail(pk)):
            services.customer_update(actor=request.user, customer=customer, version=version, data=values, reason=reason)
        return Response(self._detail(pk))

    # -------- batch verbs (API.md, Writes)

    def _ids(self, serializer_class=BatchSerializer) -> dict:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(
        description="CUS-1 领用. Failure codes per id: already_claimed, not_found, and the pool rules' "
        "claim_limit_reached (daily claim limit), holding_limit_reached, cooldown_active — each message names "
        "the rule and when it allows the claim.",
        request=BatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def claim(self, request):
        d = self._ids()
        return _batch_response(services.customer_claim(actor=request.user, ids=d["ids"], reason=d["reason"]))

    @extend_schema(
        description="CUS-2 归还 (owner only), optionally to another `pool`. Failure codes per id: not_owner, "
        "not_found, conflict.",
        request=ReturnSerializer,
        responses={200: BatchResultSerializer},
        operation_id="customers_return",
    )
    @action(detail=False, methods=["post"], url_path="return", url_name="return")
    def return_(self, request):
        d = self._ids(ReturnSerializer)
        result = services.customer_return(actor=request.user, ids=d["ids"], reason=d["reason"], pool=d.get("pool"))
        return _batch_response(result)

    @extend_schema(
        description="CUS-1/3 收回 (claimed customers of the actor's scope). Failure codes: not_claimed, out_of_scope, not_found, conflict.",
        request=BatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def recall(self, request):
        d = self._ids()
        return _batch_response(services.customer_recall(actor=request.user, ids=d["ids"], reason=d["reason"]))

    @extend_schema(
        description="CUS-4 指派 to one user, or `strategy: even` over several. Failure codes: out_of_scope, not_found, conflict.",
        request=AssignSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def assign(self, request):
        d = self._ids(AssignSerializer)
        result = services.customer_assign(
            actor=request.user, ids=d["ids"], to=d["to"], strategy=d.get("strategy"), reason=d["reason"]
        )
        return _batch_response(result)

    @extend_schema(
        description="CUS-5 共享 with users and/or departments. Failure codes: read_only, not_found.",
        request=ShareInputSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def share(self, request):
        d = self._ids(ShareInputSerializer)
        result = services.customer_share(
            actor=request.user,
            ids=d["ids"],
            users=d["users"],
            departments=d["departments"],
            access=d["access"],
            until=d.get("until"),
            reason=d["reason"],
        )
        return _batch_response(result)

    @extend_schema(
        description="CUS-5 取消共享. Failure codes: read_only, not_found.",
        request=UnshareSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def unshare(self, request):
        d = self._ids(UnshareSerializer)
        result = services.customer_unshare(
            actor=request.user, ids=d["ids"], users=d["users"], departments=d["departments"], reason=d["reason"]
        )
        return _batch_response(result)

    @extend_schema(
        description="CUS-8 升迁 to `stage` or the next one. Failure codes: last_stage, not_later_stage, read_only, not_found, conflict.",
        request=PromoteSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def promote(self, request):
        d = self._ids(PromoteSerializer)
        result = services.customer_promote(actor=request.user, ids=d["ids"], stage=d.get("stage"), reason=d["reason"])
        return _batch_response(result)

    @extend_schema(
        description="CUS-1 soft delete of unclaimed customers. Failure codes: customer_claimed, not_found.",
        request=BatchSerializer,
        responses={200: BatchResultSerializer},
        operation_id="customers_delete",
    )
    @action(detail=False, methods=["post"], url_path="delete", url_name="delete")
    def delete_(self, request):
        d = self._ids()
        return _batch_response(services.customer_delete(actor=request.user, ids=d["ids"], reason=d["reason"]))

    @extend_schema(
        description="CUS-15 restore deleted or merged-away customers. Failure codes: not_found, conflict.",
        request=BatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def restore(self, request):
        d = self._ids()
        return _batch_response(services.customer_restore(actor=request.user, ids=d["ids"], reason=d["reason"]))

    @extend_schema(
        description=(
            "CUS-6 merge `ids` into `target`. Failure codes: read_only, not_found, invalid. With `values`, the "
            "survivor's chosen values and the merge happen together or not at all."
        ),
        request=MergeSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def merge(self, request):
        d = self._ids(MergeSerializer)
        values = dict(d.get("values") or {})
        version = values.pop("version", None)
        values.pop("reason", None)
        if values and version is None:
            raise InvalidInput(fields={"values": [_("Send back the version you read.")]})
        with current_on_stale(lambda: self._detail(d["target"])):
            result = services.customer_merge(
                actor=request.user,
                target=d["target"],
                ids=d["ids"],
                reason=d["reason"],
                values=values or None,
                version=version,
            )
        return _batch_response(result)

    # -------- lookups

    @extend_schema(
        parameters=[
            OpenApiParameter("name", str),
            OpenApiParameter("phone", str, many=True, description="phone or mobile; may repeat"),
            OpenApiParameter("mobile", str),
            OpenApiParameter("exclude", int, description="the customer being edited"),
        ],
        responses={200: DuplicateSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def duplicates(self, request):
        params = request.query_params
        name = params.get("name", "")
        phones = [*params.getlist("phone"), *params.getlist("mobile")]
        if not name.strip() and not any(p.strip() for p in phones):
            raise InvalidInput(fields={"name": [_("Give a name or a phone number to check.")]})
        exclude = params.get("exclude")
        if exclude is not None and not exclude.isdigit():
            raise InvalidInput(fields={"exclude": [_("A whole number is required.")]})
        result = selectors.customer_duplicates(
            user=request.user, name=name[:200], phones=phones[:5], exclude=int(exclude) if exclude else None
        )
        return Response(DuplicateSerializer(result, many=True).data)

    @extend_schema(responses={200: IntentLevelSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="intent-levels", url_name="intent-levels", pagination_class=None)
    def intent_levels(self, request):
        return Response(
            [
                {
                    "level": level,
                    "name": label,
                    "description": str(INTENT_TIPS[level][0]),
                    "tips": str(INTENT_TIPS[level][1]),
                }
                for level, label in IntentLevel.choices
            ]
        )

    # -------- tabs of one customer (CUS-12)

    @extend_schema(methods=["get"], responses={200: ContactSerializer(many=True)})
    @extend_schema(methods=["post"], request=ContactSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def contacts(self, request, pk=None):
        customer = self._get(pk)
        if request.method == "POST":
            data = ContactSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            values["social_relations"] = [dict(r) for r in values.get("social_relations", [])]
            contact = services.contact_create(actor=request.user, customer=customer, data=values)
            return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
        contacts = selectors.customer_contacts(user=request.user, customer=customer)
        return Response(ContactSerializer(contacts, many=True).data)

    @extend_schema(responses={200: ShareSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def shares(self, request, pk=None):
        customer = self._get(pk)
        return Response(
            ShareSerializer(selectors.customer_shares(user=request.user, customer=customer), many=True).data
        )

    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        customer = self._get(pk)
        events = selectors.customer_events(user=request.user, customer=customer)[:500]
        return Response(EventSerializer(events, many=True).data)

    @extend_schema(methods=["get"], responses={200: RelationSerializer(many=True)})
    @extend_schema(methods=["post"], request=RelationInputSerializer, responses={201: RelationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def relations(self, request, pk=None):
        customer = self._get(pk)
        if request.method == "POST":
            data = RelationInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                other = self._get(data.validated_data["to_customer"])
            except NotFound:
                raise InvalidInput(fields={"to_customer": [_("Not found.")]}) from None
            relation = services.relation_create(
                actor=request.user,
                customer=customer,
                other=other,
                relation_type=data.validated_data["relation_type"],
                remarks=data.validated_data["remarks"],
            )
            return Response(RelationSerializer(relation).data, status=status.HTTP_201_CREATED)
        relations = selectors.customer_relations(user=request.user, customer=customer)
        return Response(RelationSerializer(relations, many=True).data)


class ContactViewSet(viewsets.ViewSet):
    """/customers/{customer_pk}/contacts/{pk}/ — edit or remove one contact."""

    required_permissions = {"*": Permission.EDIT}

    def _get(self, customer_pk, pk) -> Contact:
        customer = selectors.customer_get(user=self.request.user, pk=customer_pk)
        contact = selectors.customer_contacts(user=self.request.user, customer=customer).filter(pk=pk).first()
        if contact is None:
            raise NotFound()
        contact.customer = customer
        return contact

    @extend_schema(request=ContactSerializer, responses={200: ContactSerializer})
    def partial_update(self, request, customer_pk=None, pk=None):
        contact = self._get(customer_pk, pk)
        data = ContactSerializer(contact, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "social_relations" in values:
            values["social_relations"] = [dict(r) for r in values["social_relations"]]
        contact = services.contact_update(actor=request.user, contact=contact, data=values)
        return Response(ContactSerializer(self._get(customer_pk, contact.pk)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, customer_pk=None, pk=None):
        services.contact_delete(actor=request.user, contact=self._get(customer_pk, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RelationViewSet(viewsets.ViewSet):
    """/customers/{customer_pk}/relations/{pk}/ — remove one relation."""

    required_permissions = {"*": Permission.EDIT}

    @extend_schema(responses={204: None})
    def destroy(self, request, customer_pk=None, pk=None):
        customer = selectors.customer_get(user=request.user, pk=customer_pk)
        relation = selectors.customer_relations(user=request.user, customer=customer).filter(pk=pk).first()
        if relation is None:
            raise NotFound()
        services.relation_delete(actor=request.user, customer=customer, relation=relation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PoolViewSet(viewsets.GenericViewSet):
    """CUS-1 客户池: every customer, claimed or not, with public info and claim status only."""

    pagination_class = CustomerPagination
    filter_backends = [PoolOrdering]
    ordering_fields = ORDERING_FIELDS
    serializer_class = PoolCustomerSerializer
    required_permissions = {"*": Permission.VIEW_POOL}

    def get_queryset(self):
        return selectors.customer_pool(user=self.request.user, filters=self.request.query_params)

    @extend_schema(parameters=LIST_PARAMETERS)
    def list(self, request):
        page = _paged(self, self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(pool_rows(page, selectors.public_fields()))

    @extend_schema(description="CUS-1 public details. 429 view_limit_reached: the pool's anti-harvest rule.")
    def retrieve(self, request, pk=None):
        customer = self.get_queryset().filter(pk=pk).first()
        if customer is None:
            raise NotFound()
        if customer.owner_id is None:
            pool_rules.pool_view_record(actor=request.user, customer_id=customer.pk, pool_id=customer.pool_id)
        return Response(pool_rows([customer], selectors.public_fields())[0])


class StageViewSet(viewsets.ViewSet):
    """CUS-8: the configurable ordered list of stages."""

    required_permissions = {"create": "system.manage_dictionary", "partial_update": "system.manage_dictionary"}

    @extend_schema(responses={200: StageSerializer(many=True)})
    def list(self, request):
        return Response(StageSerializer(selectors.stage_list(), many=True).data)

    @extend_schema(request=StageSerializer, responses={201: StageSerializer})
    def create(self, request):
        data = StageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in {"code", "name", "color", "position"}}
        stage = services.stage_create(actor=request.user, **values)
        return Response(StageSerializer(stage).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StageUpdateSerializer, responses={200: StageSerializer})
    def partial_update(self, request, pk=None):
        stage = selectors.stage_list().filter(pk=pk).first()
        if stage is None:
            raise NotFound()
        data = StageUpdateSerializer(stage, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", None)
        with current_on_stale(lambda: StageSerializer(selectors.stage_list().get(pk=stage.pk)).data):
            stage = services.stage_update(actor=request.user, stage=stage, version=version, **changes)
        return Response(StageSerializer(stage).data)
