"""Customers, contacts, relations, shares, stages and the customer history (CUS-1…11, CUS-15)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shoal.core.models import TimeStampedModel, VersionedModel
from shoal.core.search import SearchTokensField

FTS_TABLE = "customers_customer_fts"  # SQLite FTS5 mirror of CustomerSearch.search_tokens (core.search)

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet, the last one a checksum.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_checksum(body: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").upper()
    if len(code) != 18 or any(c not in _CREDIT_ALPHABET for c in code):
        raise ValidationError(_("A unified social credit code has 18 digits or capital letters."))
    if credit_code_checksum(code[:17]) != code[17]:
        raise ValidationError(_("This unified social credit code fails its check digit."))


class IntentLevel(models.IntegerChoices):
    # CUS-8, seed 003 §1.1.3 意向阶段; the tips per level are served by the API (intent-levels).
    REFUSED = -1, "客户拒绝"
    NOT_REFUSING = 0, "客户不拒绝"
    COMMUNICATING = 1, "愿意沟通"
    EVALUATING = 2, "评估产品"
    CONSIDERING = 3, "考虑成交"
    CONFIRMED = 4, "确定成交"


class Classification(models.TextChoices):
    # CUS-9, seed 003 §1.1.4: new = the rep's current run of follow-ups (gaps ≤ 30 days) began this month.
    NEW = "new", "新客户"
    OLD = "old", "老客户"


class Stage(VersionedModel):
    """CUS-8: the configurable ordered list of stages; promotion only moves to a later position."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=50)
    color = models.CharField(max_length=20, blank=True, default="")
    position = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Customer(VersionedModel):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True, default="")
    # NULL (not "") when absent, so the unique constraint only binds given codes.
    credit_code = models.CharField(  # noqa: DJ001
        max_length=18, null=True, blank=True, validators=[validate_credit_code]
    )
    # Dictionary codes (SYS-1); lists show names from the cached dictionary endpoint.
    category = models.CharField(max_length=50, blank=True, default="")
    industry = models.CharField(max_length=50, blank=True, default="")
    level = models.CharField(max_length=50, blank=True, default="")
    source = models.CharField(max_length=50, default="system")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="customers", db_index=False)
    intent_level = models.SmallIntegerField(choices=IntentLevel.choices, null=True, blank=True)
    # Region codes of element-china-area-data (GB/T 2260), stored as given by the cascader.
    province = models.CharField(max_length=12, blank=True, default="")
    city = models.CharField(max_length=12, blank=True, default="")
    district = models.CharField(max_length=12, blank=True, default="")
    address = models.CharField(max_length=300, blank=True, default="")
    phone = models.CharField(max_length=30, blank=True, default="")
    mobile = models.CharField(max_length=20, blank=True, default="")
    website = models.CharField(max_length=200, blank=True, default="")
    remarks = models.TextField(blank=True, default="")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
        db_index=False,  # covered by the (owner, id) index
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_followed_at = models.DateTimeField(null=True, blank=True)
    last_followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    follow_run_started_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    # CUS-1/SYS-2 pool rules (shoal.pools), kept by services: the pool (NULL = the default pool, so
    # rows from any path need no pool id), the auto-return countdown and the facts it is computed from.
    pool = models.ForeignKey(
        "pools.Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="customers", db_index=False
    )
    return_due_at = models.DateTimeField(null=True, blank=True)
    return_rule = models.CharField(max_length=40, blank=True, default="", db_default="")  # "no_follow_up:7"
    warned_due_at = models.DateTimeField(null=True, blank=True)  # the countdown its owner was warned of
    claim_followed_at = models.DateTimeField(null=True, blank=True)  # first follow-up since the claim
    locked_at = models.DateTimeField(null=True, blank=True)  # locked by its owner against auto-return
    # Deal facts, set by the sales apps through customer_deal_facts_set().
    last_deal_at = models.DateTimeField(null=True, blank=True)
    contract_ended_at = models.DateTimeField(null=True, blank=True)
    open_deals = models.PositiveIntegerField(default=0, db_default=0)
    signed_contracts = models.PositiveIntegerField(default=0, db_default=0)

    # Denormalised for lists (sorting/filtering without joins), kept by services.
    primary_contact_name = models.CharField(max_length=50, blank=True, default="")
    primary_contact_mobile = models.CharField(max_length=20, blank=True, default="")
    name_key = models.CharField(max_length=200, blank=True, default="", db_index=True)  # CUS-6 normalised name
    # Not indexed: the creator is rarely filtered on, and every index costs each claim (non-HOT update).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=Q(credit_code__isnull=False), name="customers_customer_unique_credit"
            ),
        ]
        # Few on purpose: claims change owner_id, so every claim writes a new entry into each index.
        indexes = [
            models.Index(fields=["owner", "id"], condition=Q(deleted_at__isnull=True), name="customers_owner_id"),
            models.Index(fields=["name"], name="customers_name"),
            models.Index(fields=["last_followed_at"], name="customers_followed"),
            # CUS-1 the auto-return job and its warnings read due rows only.
            models.Index(
                fields=["return_due_at"], condition=Q(return_due_at__isnull=False), name="customers_return_due"
            ),
            models.Index(fields=["pool", "id"], condition=Q(pool__isnull=False), name="customers_pool_id"),
            # Holding limits that leave deal customers out count an owner's deal customers (few) here.
            models.Index(
                fields=["owner"],
                condition=Q(last_deal_at__isnull=False, deleted_at__isnull=True),
                name="customers_owner_deal",
            ),
            # PostgreSQL also has customers_owner_due (owner_id, return_due_at NULLS LAST, id DESC), made by
            # migration 0005 (SQLite cannot index NULLS LAST): 我的客户 sorted by 剩余天数 is an index scan.
            # "Pool customers I created" (part of a rep's visibility) without scanning the whole pool.
            models.Index(
                fields=["created_by"],
                condition=Q(owner__isnull=True, deleted_at__isnull=True),
                name="customers_pool_creator",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CustomerSearch(models.Model):
    """CUS-7 quick-search document of a customer (core.search), kept beside it so that pool moves —
    which rewrite the customer row — never touch the search index."""

    customer = models.OneToOneField(Customer, primary_key=True, on_delete=models.CASCADE, related_name="search")
    search_text = models.TextField(blank=True, default="")
    search_tokens = SearchTokensField(blank=True, default="")
    # What the pool's quick search may match (CUS-1: public info only): the name and the short name
    # with their pinyin initials — never contacts or phones, which would tell who owns a number.
    name_text = models.TextField(blank=True, default="")
    short_name_text = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"search #{self.customer_id}"


class OwnerTally(models.Model):
    """How many live customers each user owns, kept by a PostgreSQL trigger on customers_customer
    (every path that changes owner_id or deleted_at, bulk ones included). The claim limit (SYS-2)
    reads one row instead of counting thousands; SQLite counts instead (small installs)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    owned = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.owned}"


class Contact(TimeStampedModel):
    """CUS-10: people at a customer; exactly one primary (constraint + services)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    is_primary = models.BooleanField(default=False)
    name = models.CharField(max_length=50)
    title = models.CharField(max_length=50, blank=True, default="")
    mobile = models.CharField(max_length=20, blank=True, default="")
    phone = models.CharField(max_length=30, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    wechat = models.CharField(max_length=50, blank=True, default="")
    qq = models.CharField(max_length=20, blank=True, default="")
    birthday = models.DateField(null=True, blank=True)
    remarks = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_primary=True), name="customers_contact_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SocialRelation(models.Model):
    """CUS-10 社会关系 of a contact; the type is a code of dictionary kind social_relation_type."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="social_relations")
    relation_type = models.CharField(max_length=50)
    name = models.CharField(max_length=50)
    remarks = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.relation_type}: {self.name}"


class CustomerRelation(TimeStampedModel):
    """CUS-11: a typed link between two customers (dictionary kind relation_type)."""

    from_customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="relations_from")
    to_customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="relations_to")
    relation_type = models.CharField(max_length=50)
    remarks = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_customer", "to_customer", "relation_type"], name="customers_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_customer=models.F("to_customer")), name="customers_relation_not_self"
            ),
        ]


class ShareAccess(models.TextChoices):
    READ = "read", "只读"  # see details, log interactions; not edit base info (CUS-3)
    WRITE = "write", "读写"  # may also edit base info and contacts


class Share(TimeStampedModel):
    """CUS-5: a customer shared with one user or one whole department (and its sub-departments)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="customer_shares"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="customer_shares"
    )
    access = models.CharField(max_length=10, choices=ShareAccess.choices, default=ShareAccess.READ)
    until = models.DateField(null=True, blank=True)  # the last day it works; expired shares simply stop matching

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, department__isnull=True)
                | Q(user__isnull=True, department__isnull=False),
                name="customers_share_one_target",
            ),
            models.UniqueConstraint(
                fields=["customer", "user"], condition=Q(user__isnull=False), name="customers_share_unique_user"
            ),
            models.UniqueConstraint(
                fields=["customer", "department"],
                condition=Q(department__isnull=False),
                name="customers_share_unique_department",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "customer"], name="customers_share_user"),
            models.Index(fields=["department", "customer"], name="customers_share_dept"),
        ]


class EventAction(models.TextChoices):
    # CUS-15: every change and pool move leaves one of these rows, written by the service.
    CREATE = "create", "新建"
    EDIT = "edit", "编辑"
    CLAIM = "claim", "领用"
    RETURN = "return", "归还"
    RECALL = "recall", "收回"
    ASSIGN = "assign", "指派"
    SHARE = "share", "共享"
    UNSHARE = "unshare", "取消共享"
    PROMOTE = "promote", "升迁"
    MERGE = "merge", "合并"
    DELETE = "delete", "删除"
    RESTORE = "restore", "恢复"
    CONTACT = "contact", "联系人"
    RELATION = "relation", "客户关联"
    FOLLOW_UP = "follow_up", "跟进"


class CustomerEvent(models.Model):
    """CUS-15 history: who did what to which customer, when and why, with the field changes."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=EventAction.choices)
    reason = models.CharField(max_length=500, blank=True, default="")
    # {"field": [old, new], ...} for edits and moves; free-form details for contacts/shares/merges.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "-id"], name="customers_event_customer")]

    def __str__(self) -> str:
        return f"{self.action} #{self.customer_id}"


class Tag(TimeStampedModel):
    """标签: free labels a team puts on customers (filter lists by them, import/export them)."""

    name = models.CharField(max_length=30, unique=True)
    color = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CustomerTag(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="customer_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "tag"], name="customers_customertag_unique")]
        indexes = [models.Index(fields=["tag", "customer"], name="customers_tag_customer")]

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.tag_id}"


class ImportedRow(models.Model):
    """CUS-13: a fingerprint of every imported row, so importing the same file again (or resuming a job
    that stopped halfway) finds the rows already written instead of creating them twice."""

    key = models.CharField(max_length=64, primary_key=True)  # sha256 of the row's cleaned values
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+", db_index=False)
    job_id = models.BigIntegerField(null=True, blank=True)  # the import job that wrote it
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
