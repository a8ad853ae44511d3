"""Every read of customers that depends on who asks. ``customer_visible`` is the one visibility rule;
lists, details, batch verbs and duplicates all start from it, so an invisible record is simply absent."""

import re
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.core.errors import NotFound
from shoal.core.search import normalize, phone_digits, query_runs, search_estimate, search_filter
from shoal.customers.models import (
    FTS_TABLE,
    Classification,
    Contact,
    Customer,
    CustomerEvent,
    CustomerRelation,
    CustomerSearch,
    Share,
    ShareAccess,
    Stage,
)
from shoal.customers.permissions import Permission
from shoal.org.models import User
from shoal.org.selectors import user_ids_in_scope, user_subordinate_ids
from shoal.system.selectors import parameter_get

# ---------------------------------------------------------------- visibility


def _department_chain_ids(user: User) -> list[int]:
    """The user's department and every department above it: a share with any of them reaches the user."""
    if not user.department_id:
        return []
    path = user.department.path or ""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids or [user.department_id]


def _active_shares(user: User) -> QuerySet[Share]:
    today = timezone.localdate()
    target = Q(user_id=user.pk)
    departments = _department_chain_ids(user)
    if departments:
        target |= Q(department_id__in=departments)
    # CUS-5: a share "until" a date stops working by itself the day after.
    return Share.objects.filter(target).filter(Q(until__isnull=True) | Q(until__gte=today))


def shared_customer_ids(user: User) -> list[int]:
    return list(_active_shares(user).order_by().values_list("customer_id", flat=True).distinct())


def _forced_subordinate_ids(user: User) -> set[int]:
    # SYS-2 上下级强制共享: superiors see the customers their subordinates own.
    if parameter_get("forced_hierarchy_sharing"):
        return user_subordinate_ids(user)
    return set()


class Visibility:
    """The one visibility rule, computed once per request from indexed pieces (owner ids, shared ids)
    rather than one OR across joins: as a Q for querysets, or as a test for a loaded row."""

    def __init__(self, user: User):
        self.user = user
        self.view_all = user.has_permission(Permission.VIEW_ALL)
        scope = user_ids_in_scope(user) if self.view_all else set()
        self.everything = scope is None
        self.owners = set() if scope is None else {user.pk} | _forced_subordinate_ids(user) | scope
        self.shared = set() if self.everything else set(shared_customer_ids(user))

    def q(self) -> Q | None:
        """None means "everything" (data scope all with the all-customers permission)."""
        if self.everything:
            return None
        q = Q(owner_id__in=sorted(self.owners))
        if self.shared:
            q |= Q(pk__in=sorted(self.shared))
        if self.view_all:
            q |= Q(owner_id__isnull=True)  # managers see pool customers in full (to assign, edit, delete)
        else:
            q |= Q(owner_id__isnull=True, created_by_id=self.user.pk)
        return q

    def allows(self, customer: Customer) -> bool:
        if self.everything or customer.owner_id in self.owners or customer.pk in self.shared:
            return True
        if customer.owner_id is None:
            return self.view_all or customer.created_by_id == self.user.pk
        return False


def _visibility_q(user: User) -> Q | None:
    return Visibility(user).q()


def customer_visible(*, user: User, deleted: bool = False) -> QuerySet[Customer]:
    """The customers ``user`` may see in full: own, shared, subordinates' (forced sharing), by data
    scope (with customer.view_all), pool customers they created. ``deleted=True``: the recycle bin,
    which only people who may restore customers open (CUS-15): for everyone else deleted is gone."""
    if deleted and not user.has_permission(Permission.RESTORE):
        return Customer.objects.none()
    qs = Customer.objects.filter(deleted_at__isnull=not deleted)
    q = _visibility_q(user)
    if q is not None:
        qs = qs.filter(q)
    return qs


def customer_get(*, user: User, pk: int, deleted: bool = False) -> Customer:
    customer = (
        customer_visible(user=user, deleted=deleted)
        .select_related("stage", "owner", "owner__department", "created_by")
        .filter(pk=pk)
        .first()
    )
    if customer is None:
        raise NotFound()
    return customer


def customer_access(*, user: User, customer: Customer) -> str | None:
    """ "owner", "write" or "read" for a visible customer (base info may be edited with the first two)."""
    if customer.owner_id == user.pk:
        return "owner"
    if user.has_permission(Permission.VIEW_ALL):
        scope = user_ids_in_scope(user)
        if customer.owner_id is None or scope is None or customer.owner_id in scope:
            return "write"
    if customer.owner_id is None and customer.created_by_id == user.pk:
        return "write"
    share_access = set(_active_shares(user).filter(customer_id=customer.pk).values_list("access", flat=True))
    if ShareAccess.WRITE in share_access:
        return "write"
    return "read"


def customer_may_share(*, user: User, customer: Customer) -> bool:
    """CUS-5: who decides whom a customer is shared with — its owner, a manager whose scope covers the
    owner, or whoever entered an unclaimed customer. A sharee never re-shares, even with write access."""
    if customer.owner_id == user.pk:
        return True
    if user.has_permission(Permission.VIEW_ALL):
        scope = user_ids_in_scope(user)
        if customer.owner_id is None or scope is None or customer.owner_id in scope:
            return True
    return customer.owner_id is None and customer.created_by_id == user.pk


# ---------------------------------------------------------------- lists


def _month_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def classification_of(customer: Customer, now: datetime | None = None) -> str:
    """CUS-9, seed 003 §1.1.4: new while the rep's current run of follow-ups began this month."""
    started = customer.follow_run_started_at
    if started is None or started >= _month_start(now or timezone.now()):
        return Classification.NEW
    return Classification.OLD


def customer_list(*, user: User, view: str = "all", filters: dict | None = None) -> QuerySet[Customer]:
    """CUS-2/3/7: ``view`` mine | shared | all | deleted, then the filters of ``CustomerFilter``."""
    from shoal.customers.filters import apply_filters

    if view == "mine":
        qs = Customer.objects.filter(deleted_at__isnull=True, owner_id=user.pk)
    elif view == "shared":
        q = Q(owner_id__in=sorted(_forced_subordinate_ids(user)))
        shared = shared_customer_ids(user)
        if shared:
            q |= Q(pk__in=shared)
        qs = Customer.objects.filter(deleted_at__isnull=True).filter(q).exclude(owner_id=user.pk)
    elif view == "deleted":
        qs = customer_visible(user=user, deleted=True)
    else:
        qs = customer_visible(user=user)
    qs = qs.select_related("stage", "owner", "owner__department")
    return apply_filters(qs, filters or {})


def customer_pool(*, user: User, filters: dict | None = None) -> QuerySet[Customer]:
    """CUS-1 客户池: every customer of the company, claimed or not; the API renders public info only."""
    from shoal.customers.filters import apply_filters
    from shoal.pools.selectors import customers_in_pools_q, default_pool, pool_ids_open_to

    qs = Customer.objects.filter(deleted_at__isnull=True).select_related("stage", "owner", "owner__department")
    open_pools = pool_ids_open_to(user)  # CUS-1: a pool's members see and claim from it
    if open_pools is not None:
        qs = qs.filter(customers_in_pools_q(open_pools, default_pool().pk))
    return apply_filters(qs, filters or {}, public=public_fields())


def customer_search(qs: QuerySet[Customer], q: str | None) -> QuerySet[Customer]:
    """CUS-7 quick search: name, short name, contact names, phones (any digits), pinyin initials."""
    return search_filter(qs, q, index=CustomerSearch, fts_table=FTS_TABLE)


POOL_SEARCHABLE = {"name": "search__name_text__contains", "short_name": "search__short_name_text__contains"}


def customer_pool_search(qs: QuerySet[Customer], q: str | None, public: list[str]) -> QuerySet[Customer]:
    """The pool's quick search matches public info only (CUS-1): the name and short name (with their
    pinyin initials) when public. Contacts and phones would tell who owns a number, so they never
    match here; with neither name public the search does nothing, like a filter on a hidden field."""
    lookups = [lookup for field, lookup in POOL_SEARCHABLE.items() if field in public]
    runs = query_runs(q or "")
    if not runs or not lookups:
        return qs
    qs = customer_search(qs, q)
    for run in runs:
        match = Q()
        for lookup in lookups:
            match |= Q(**{lookup: run})
        qs = qs.filter(match)
    return qs


def customer_search_estimate(q: str | None) -> int | None:
    return search_estimate(q, index=CustomerSearch)


def public_fields() -> list[str]:
    from shoal.system.defaults import CUSTOMER_PUBLIC_FIELDS

    value = parameter_get("public_fields") or []
    return [f for f in value if f in CUSTOMER_PUBLIC_FIELDS]


# ---------------------------------------------------------------- related lists


def stage_list(*, active_only: bool = False) -> QuerySet[Stage]:
    qs = Stage.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def customer_contacts(*, user: User, customer: Customer) -> QuerySet[Contact]:
    return customer.contacts.prefetch_related("social_relations")


def customer_shares(*, user: User, customer: Customer) -> QuerySet[Share]:
    return customer.shares.select_related("user", "department", "created_by")


def customer_events(*, user: User, customer: Customer) -> QuerySet[CustomerEvent]:
    return customer.events.select_related("actor")


def customer_relations(*, user: User, customer: Customer) -> QuerySet[CustomerRelation]:
    return CustomerRelation.objects.filter(Q(from_customer=customer) | Q(to_customer=customer)).select_related(
        "from_customer", "to_customer"
    )


# ---------------------------------------------------------------- duplicates (CUS-6)

_BRACKETS = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")
_NOISE_WORDS = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "股份", "集团", "公司")
_PLACES = [
    "中国",
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "深圳",
    "广州",
    "杭州",
    "南京",
    "苏州",
    "武汉",
    "成都",
    "西安",
    "郑州",
    "长沙",
    "青岛",
    "宁波",
    "厦门",
    "合肥",
    "济南",
    "沈阳",
    "大连",
    "哈尔滨",
    "长春",
    "石家庄",
    "太原",
    "福州",
    "南昌",
    "南宁",
    "昆明",
    "贵阳",
    "兰州",
    "无锡",
    "佛山",
    "东莞",
    "珠海",
    "温州",
    "常州",
    "烟台",
    "徐州",
    "泉州",
    "绍兴",
    "嘉兴",
    "台州",
    "金华",
    "中山",
    "惠州",
    "洛阳",
    "保定",
    "唐山",
    "潍坊",
    "临沂",
    "义乌",
]
_PLACE_PREFIX = re.compile("^(?:" + "|".join(sorted(_PLACES, key=len, reverse=True)) + ")(?:省|市|自治区|特别行政区)?")
_NOT_WORD = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """CUS-6: 深圳市华为技术有限公司（南山） → 华为技术: no brackets, legal-form words, place prefixes,
    widths, case or punctuation."""
    text = _BRACKETS.sub("", normalize(name))
    for word in _NOISE_WORDS:
        text = text.replace(word, "")
    text = _NOT_WORD.sub("", text)
    while True:
        stripped = _PLACE_PREFIX.sub("", text, count=1)
        if stripped == text or not stripped:
            break
        text = stripped
    return text or _NOT_WORD.sub("", normalize(name))


def customer_duplicates(
    *, user: User, name: str = "", phones: list[str] | None = None, exclude: int | None = None, limit: int = 10
) -> list[dict]:
    """Likely duplicates with a score (1.0 = same normalised name or same phone). Matches the user may
    not see are still reported — without details — so a rep knows whether a prospect is free."""
    base = Customer.objects.filter(deleted_at__isnull=True)
    if exclude:
        base = base.exclude(pk=exclude)
    found: dict[int, dict] = {}
    key = name_key(name) if name.strip() else ""
    if key:
        pieces = {key[i:j] for i in range(len(key)) for j in range(i + 2, len(key) + 1)} if len(key) <= 12 else {key}
        # Unordered: the first 50 candidates will do, so the database may stop early.
        candidates = list(base.filter(name_key__in=sorted(pieces)).order_by().values("id", "name_key")[:50])
        candidates += list(customer_search(base, key).order_by().values("id", "name_key")[:50])
        for row in candidates:
            score = 1.0 if row["name_key"] == key else SequenceMatcher(None, key, row["name_key"]).ratio()
            if score >= 0.6:
                entry = found.setdefault(row["id"], {"score": 0.0, "reasons": set(), "exact": False})
                entry["score"] = max(entry["score"], round(score, 2))
                entry["reasons"].add("name")
                entry["exact"] = entry["exact"] or score == 1.0
    for raw in phones or []:
        digits = phone_digits(raw)
        if len(digits) < 5:
            continue
        for row in customer_search(base, digits).order_by().values("id", "search__search_text")[:20]:
            if digits in (row["search__search_text"] or "").split(" "):
                entry = found.setdefault(row["id"], {"score": 0.0, "reasons": set(), "exact": False})
                entry["score"] = 1.0
                entry["reasons"].add("phone")
    if not found:
        return []
    ranked = sorted(found.items(), key=lambda item: (-item[1]["score"], -item[0]))[:limit]
    ids = [pk for pk, _entry in ranked]
    customers = Customer.objects.select_related("owner", "owner__department").in_bulk(ids)
    visibility = Visibility(user)
    visible_ids = {pk for pk in ids if visibility.allows(customers[pk])}
    name_public = "name" in public_fields()
    result = []
    for pk, entry in ranked:
        customer = customers[pk]
        visible = pk in visible_ids
        owner = customer.owner
        department = owner.department.name if owner and owner.department_id else None
        if owner is None:
            message = _("In the customer pool")
        elif owner.pk == user.pk:
            message = _("Already your customer")
        else:
            message = _("Already exists — customer of %(owner)s (%(department)s)") % {
                "owner": owner.display_name,
                "department": department or "-",
            }
        result.append(
            {
                "id": pk,
                "name": customer.name if visible or name_public else None,
                "score": entry["score"],
                "exact": entry["exact"],
                "reasons": sorted(entry["reasons"]),
                "visible": visible,
                "claimed": owner is not None,
                "owner_name": owner.display_name if owner else None,
                "owner_department": department,
                "message": message,
            }
        )
    return result


def recent_follow_run_start(customer: Customer, *, actor: User, at: datetime) -> datetime:
    """Start of the actor's current run of follow-ups if ``at`` continues it (gap ≤ 30 days)."""
    last = customer.last_followed_at
    if (
        last is None
        or customer.last_followed_by_id != actor.pk
        or at - last > timedelta(days=30)
        or customer.follow_run_started_at is None
    ):
        return at
    return customer.follow_run_started_at


# ---------------------------------------------------------------- tags


def tag_list() -> QuerySet:
    """Every tag (a company-wide lookup, like the dictionary)."""
    from shoal.customers.models import Tag

    return Tag.objects.all()


def customer_tags(*, user: User, customer: Customer) -> QuerySet:
    from shoal.customers.models import Tag

    return Tag.objects.filter(customer_links__customer=customer).order_by("name")
