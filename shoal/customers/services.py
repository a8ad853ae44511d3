"""Every write to customers (CUS-1…11, CUS-15). Each service is atomic; batch verbs settle each id in
its own transaction; races are settled by conditional UPDATEs and their row counts; every change
writes a CustomerEvent in the same transaction."""

import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ShoalError
from shoal.core.permissions import require
from shoal.core.search import name_text, search_document, search_index_write
from shoal.core.versioning import versioned_update
from shoal.customers import selectors
from shoal.customers.models import (
    FTS_TABLE,
    Contact,
    Customer,
    CustomerEvent,
    CustomerRelation,
    CustomerSearch,
    EventAction,
    IntentLevel,
    Share,
    ShareAccess,
    SocialRelation,
    Stage,
    validate_credit_code,
)
from shoal.customers.permissions import Permission
from shoal.org.models import Department, User
from shoal.org.selectors import user_ids_in_scope, user_subordinate_ids
from shoal.pools import selectors as pool_selectors
from shoal.pools import services as pool_rules
from shoal.system.models import DictionaryItem
from shoal.system.permissions import Permission as SystemPermission

CUSTOMER_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "category",
    "industry",
    "level",
    "source",
    "stage",
    "intent_level",
    "province",
    "city",
    "district",
    "address",
    "phone",
    "mobile",
    "website",
    "remarks",
)
CONTACT_FIELDS = ("name", "title", "mobile", "phone", "email", "wechat", "qq", "birthday", "remarks", "is_primary")
_DICTIONARY_FIELDS = {
    "category": "customer_category",
    "industry": "industry",
    "level": "customer_level",
    "source": "customer_source",
}
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")

# Other domains register here what to move when customers are merged: fn(source, target, actor).
MERGE_HOOKS: list[Callable[[Customer, Customer, User], None]] = []
# …and what to do when someone claims a customer: fn(customer_id, actor), in the claim's transaction
# (SAL-2: claiming a customer another rep still has an open opportunity on is a conflict).
CLAIM_HOOKS: list[Callable[[int, User], None]] = []


class AlreadyClaimed(Conflict):
    code = "already_claimed"


# ---------------------------------------------------------------- helpers


def _event(customer_id: int, actor: User | None, action: str, *, reason: str = "", changes=None) -> None:
    CustomerEvent.objects.create(
        customer_id=customer_id, actor=actor, action=action, reason=reason or "", changes=changes or {}
    )


def _json(value: Any) -> Any:
    if isinstance(value, Stage):
        return value.code
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _clean_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def _dictionary_codes(kinds: Iterable[str]) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {kind: set() for kind in kinds}
    for kind, code in DictionaryItem.objects.filter(kind__in=list(codes), is_active=True).values_list("kind", "code"):
        codes[kind].add(code)
    return codes


def _validate_customer(values: dict, *, instance: Customer | None = None) -> dict:
    """Field rules of a customer; every problem reported at once as 400 with fields."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [_("This field may not be blank.")]
    for field in ("short_name", "address", "website", "phone", "remarks", "province", "city", "district"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
    if "source" in cleaned and not cleaned["source"]:
        errors["source"] = [_("Choose where this customer came from.")]  # CUS-9: required at entry
    wanted = {field: kind for field, kind in _DICTIONARY_FIELDS.items() if cleaned.get(field)}
    if wanted:
        known = _dictionary_codes(wanted.values())
        for field, kind in wanted.items():
            if cleaned[field] not in known[kind]:
                errors[field] = [_("Unknown value; choose one from the data dictionary.")]
    if "credit_code" in cleaned:
        code = (cleaned["credit_code"] or "").strip().upper() or None
        cleaned["credit_code"] = code
        if code:
            try:
                validate_credit_code(code)
            except DjangoValidationError as exc:
                errors["credit_code"] = [str(m) for m in exc.messages]
            else:
                others = Customer.objects.filter(credit_code=code)
                if instance is not None:
                    others = others.exclude(pk=instance.pk)
                if others.exists():
                    errors["credit_code"] = [_("Another customer already has this unified social credit code.")]
    if cleaned.get("mobile"):
        cleaned["mobile"] = _clean_mobile(cleaned["mobile"])
        if not _MOBILE.match(cleaned["mobile"]):
            errors["mobile"] = [_("Enter an 11-digit mainland mobile number.")]
    if cleaned.get("phone") and not _PHONE.match(cleaned["phone"]):
        errors["phone"] = [_("Enter a phone number: digits, spaces, +, - and brackets.")]
    if cleaned.get("intent_level") is not None and cleaned["intent_level"] not in IntentLevel.values:
        errors["intent_level"] = [_("The intent level is from -1 to 4.")]
    if "stage" in cleaned:
        stage = cleaned["stage"]
        if stage is None or not stage.is_active:
            errors["stage"] = [_("Choose an active stage.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return cleaned


def _validate_contact(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [_("This field may not be blank.")]
    if cleaned.get("mobile"):
        cleaned["mobile"] = _clean_mobile(cleaned["mobile"])
        if not _MOBILE.match(cleaned["mobile"]):
            errors["mobile"] = [_("Enter an 11-digit mainland mobile number.")]
    if cleaned.get("phone") and not _PHONE.match(cleaned["phone"]):
        errors["phone"] = [_("Enter a phone number: digits, spaces, +, - and brackets.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return cleaned


def customer_search_refresh(customer_ids: Iterable[int]) -> None:
    """Recompute the denormalised list/search columns (primary contact, name key, search tokens)."""
    ids = list(customer_ids)
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(customer_id__in=ids).order_by("-is_primary", "id"):
        contacts.setdefault(contact.customer_id, []).append(contact)
    rows = []
    for customer in Customer.objects.filter(pk__in=ids).only("id", "name", "short_name", "phone", "mobile"):
        people = contacts.get(customer.pk, [])
        primary = people[0] if people and people[0].is_primary else None
        text, tokens = search_document(
            texts=[customer.name, customer.short_name, *(c.name for c in people)],
            phones=[customer.phone, customer.mobile, *(p for c in people for p in (c.mobile, c.phone))],
        )
        Customer.objects.filter(pk=customer.pk).update(
            name_key=selectors.name_key(customer.name),
            primary_contact_name=primary.name if primary else "",
            primary_contact_mobile=primary.mobile if primary else "",
        )
        CustomerSearch.objects.update_or_create(
            customer_id=customer.pk,
            defaults={
                "search_text": text,
                "search_tokens": tokens,
                "name_text": name_text(customer.name),
                "short_name_text": name_text(customer.short_name),
            },
        )
        rows.append((customer.pk, tokens))
    search_index_write(FTS_TABLE, rows)


_CLAIM_LOCK = 0x5348_4F41 << 32  # advisory-lock namespace "SHOA" + the claimant's id


def _lock_claimant(user: User) -> None:
    """Serialise one user's claims until the transaction ends. On PostgreSQL an advisory lock (no row
    write, unlike SELECT … FOR UPDATE); SQLite's IMMEDIATE transactions already serialise writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLAIM_LOCK | user.pk])


def _require_edit(actor: User, customer: Customer) -> str:
    require(actor, Permission.EDIT)
    access = selectors.customer_access(user=actor, customer=customer)
    if access == "read":
        raise Forbidden(_("This customer is shared with you read-only."), code="read_only")
    return access or "read"


class _Visible:
    """The actor's visible customers, built once per batch (the visibility rule costs a few queries)."""

    def __init__(self, actor: User, *, deleted: bool = False):
        self.queryset = selectors.customer_visible(user=actor, deleted=deleted).select_related("stage")

    def get(self, pk: int) -> Customer:
        customer = self.queryset.filter(pk=pk).first()
        if customer is None:
            raise NotFound()
        return customer


def _visible(actor: User, pk: int, *, deleted: bool = False) -> Customer:
    return _Visible(actor, deleted=deleted).get(pk)


def _scope_owner_ids(actor: User) -> set[int] | None:
    """Whose customers ``actor`` may recall or assign: their data scope and everyone below them."""
    scope = user_ids_in_scope(actor)
    if scope is None:
        return None
    return scope | user_subordinate_ids(actor) | {actor.pk}


def _batch(ids: Iterable[int], one: Callable[[int], None]) -> BatchResult:
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                one(pk)
        except ShoalError as error:
            result.fail(pk, error)
        else:
            result.ok(pk)
    return result


# ---------------------------------------------------------------- create and edit (CUS-1, CUS-2)


def default_stage() -> Stage:
    stage = Stage.objects.filter(is_active=True).order_by("position", "id").first()
    if stage is None:
        raise Conflict(_("No customer stage is configured."), code="no_stage")
    return stage


@transaction.atomic
def customer_create(
    *,
    actor: User,
    data: dict,
    contacts: list[dict] | None = None,
    claim: bool = False,
    force: bool = False,
    reason: str = "",
) -> Customer:
    """CUS-1 create into the pool (unclaimed); CUS-2 ``claim=True`` creates and claims at once."""
    require(actor, Permission.CREATE)
    if claim:
        require(actor, Permission.CLAIM)
    values = {k: v for k, v in data.items() if k in CUSTOMER_FIELDS}
    values.setdefault("source", "system")  # CUS-9: 系统客户 by default
    if values.get("stage") is None:
        values["stage"] = default_stage()
    values = _validate_customer(values)
    contact_values = [_validate_contact(c) for c in contacts or []]
    # CUS-6: refuse an exact duplicate unless a manager forces it.
    key = selectors.name_key(values["name"])
    exact = Customer.objects.filter(name_key=key, deleted_at__isnull=True).exists()
    if exact:
        if not force:
            duplicates = selectors.customer_duplicates(user=actor, name=values["name"])
            raise Conflict(
                _("A customer with the same name already exists."),
                code="duplicate_customer",
                extra={"duplicates": [d for d in duplicates if d["exact"]]},
            )
        require(actor, Permission.FORCE_DUPLICATE)
    now = timezone.now()
    if claim:
        pool_rules.create_claim_check(actor=actor, book=pool_rules.RulesBook())
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                **values,
                created_by=actor,
                owner=actor if claim else None,
                claimed_at=now if claim else None,
            )
    except IntegrityError:
        raise InvalidInput(
            fields={"credit_code": [_("Another customer already has this unified social credit code.")]}
        ) from None
    if contact_values and not any(c.get("is_primary") for c in contact_values):
        contact_values[0]["is_primary"] = True
    seen_primary = False
    for values_ in contact_values:
        relations = values_.pop("social_relations", None) or []
        primary = bool(values_.pop("is_primary", False)) and not seen_primary
        seen_primary = seen_primary or primary
        contact = Contact.objects.create(customer=customer, is_primary=primary, created_by=actor, **values_)
        _social_relations_set(contact, relations)
    customer_search_refresh([customer.pk])
    _event(customer.pk, actor, EventAction.CREATE, reason=reason, changes={"forced_duplicate": True} if exact else {})
    if claim:
        _event(customer.pk, actor, EventAction.CLAIM, reason=reason, changes={"owner": [None, actor.pk]})
        pool_rules.countdown_refresh([customer.pk])
    customer.refresh_from_db()
    return customer


@transaction.atomic
def customer_update(*, actor: User, customer: Customer, version: int | None, data: dict, reason: str = "") -> Customer:
    """CUS-2 edit base info: the owner, a read-write sharee, or a manager whose scope covers it."""
    _require_edit(actor, customer)
    values = {k: v for k, v in data.items() if k in CUSTOMER_FIELDS}
    values = _validate_customer(values, instance=customer)
    changes = {}
    for field, new in values.items():
        old = getattr(customer, field)
        if old != new:
            changes[field] = [_json(old), _json(new)]
    if "stage" in values and values["stage"] is not None and values["stage"].pk == customer.stage_id:
        changes.pop("stage", None)
    try:
        customer = versioned_update(customer, version=version, changes=values)
    except IntegrityError:
        raise InvalidInput(
            fields={"credit_code": [_("Another customer already has this unified social credit code.")]}
        ) from None
    if changes:
        if changes.keys() & {"name", "short_name", "phone", "mobile"}:
            customer_search_refresh([customer.pk])
        _event(customer.pk, actor, EventAction.EDIT, reason=reason, changes=changes)
    return customer


# ---------------------------------------------------------------- pool moves (CUS-1…4)


# PostgreSQL, when no pool has a rule a claim must check (shoal.pools): the claim, the pool-membership
# check and the history row in one statement (one round trip); the row count of the conditional UPDATE
# decides the race. With rules, each claim reads the row, checks the rules under the claimant's lock
# and then makes the same conditional UPDATE.
_CLAIM_SQL = f"""
WITH won AS (
    UPDATE {Customer._meta.db_table}
    SET owner_id = %(actor)s, claimed_at = %(now)s, updated_at = %(now)s, version = version + 1,
        claim_followed_at = NULL, locked_at = NULL
    WHERE id = %(pk)s AND owner_id IS NULL AND deleted_at IS NULL
      AND (%(pools)s::bigint[] IS NULL OR COALESCE(pool_id, %(default_pool)s) = ANY(%(pools)s::bigint[]))
    RETURNING id
)
INSERT INTO {CustomerEvent._meta.db_table} (customer_id, actor_id, action, reason, changes, created_at)
SELECT id, %(actor)s, %(action)s, %(reason)s, %(changes)s, %(now)s FROM won
RETURNING customer_id
"""  # noqa: S608 — table names are constants of this app


def _claim_failure(pk: int, open_pools: set[int] | None, default_pool: int) -> ShoalError:
    row = Customer.objects.filter(pk=pk, deleted_at__isnull=True).values("owner_id", "pool_id").first()
    if row is None or (open_pools is not None and (row["pool_id"] or default_pool) not in open_pools):
        return NotFound()
    return AlreadyClaimed(_("Someone has already claimed this customer."))


def customer_claim(*, actor: User, ids: list[int], reason: str = "", now: datetime | None = None) -> BatchResult:
    """CUS-1: only unclaimed customers of pools open to the actor; of two simultaneous claims exactly
    one wins (row count). The pool's rules (cool-down, daily claim limit, holding limit) are checked
    in the same transaction, under a lock on the claimant, and the countdown starts."""
    require(actor, Permission.CLAIM)
    book = pool_rules.RulesBook()
    open_pools = pool_selectors.pool_ids_open_to(actor)
    changes = json.dumps({"owner": [None, actor.pk]})

    def one(pk: int) -> None:
        at = now or timezone.now()
        if connection.vendor == "postgresql" and book.plain_claims():
            with connection.cursor() as cursor:
                params = {
                    "actor": actor.pk,
                    "now": at,
                    "pk": pk,
                    "pools": None if open_pools is None else sorted(open_pools),
                    "default_pool": book.default_id,
                }
                cursor.execute(
                    _CLAIM_SQL, {**params, "action": EventAction.CLAIM, "reason": reason, "changes": changes}
                )
                won = cursor.fetchone() is not None
            if not won:
                raise _claim_failure(pk, open_pools, book.default_id)
            return
        row = Customer.objects.filter(pk=pk, deleted_at__isnull=True).values(*pool_rules.FACTS).first()
        if row is None or (open_pools is not None and book.pool_id(row["pool_id"]) not in open_pools):
            raise NotFound()
        if row["owner_id"] is not None:
            raise AlreadyClaimed(_("Someone has already claimed this customer."))
        rules = book.of(row["pool_id"])
        pool_rules.lock_user(actor, rules)
        pool_rules.claim_check(actor=actor, row=row, book=book, now=at)
        # The countdown starts with the claim, written by the same conditional UPDATE.
        due = pool_rules.countdown(rules, {**row, "owner_id": actor.pk, "claimed_at": at, "locked_at": None})
        won = Customer.objects.filter(pk=pk, owner_id__isnull=True, deleted_at__isnull=True).update(
            owner_id=actor.pk,
            claimed_at=at,
            claim_followed_at=None,
            locked_at=None,
            return_due_at=due.at if due else None,
            return_rule=due.code if due else "",
            warned_due_at=None,
            **_ver(at),
        )
        if not won:
            raise AlreadyClaimed(_("Someone has already claimed this customer."))
        _event(pk, actor, EventAction.CLAIM, reason=reason, changes={"owner": [None, actor.pk]})
        pool_rules.claim_counted(actor=actor, row=row, book=book, now=at)

    def claim(pk: int) -> None:
        one(pk)
        for hook in CLAIM_HOOKS:
            hook(pk, actor)

    return _batch(ids, claim)


# What leaving an owner clears: the claim and everything the pool rules kept about it.
_UNCLAIMED = {
    "owner_id": None,
    "claimed_at": None,
    "claim_followed_at": None,
    "locked_at": None,
    "return_due_at": None,
    "return_rule": "",
    "warned_due_at": None,
}


def customer_return(
    *, actor: User, ids: list[int], reason: str = "", pool: int | None = None, now: datetime | None = None
) -> BatchResult:
    """CUS-2 归还: the owner gives customers back to their pool, or to the ``pool`` chosen; the
    previous-owner cool-down starts."""
    require(actor, Permission.RETURN)
    book = pool_rules.RulesBook()
    target = pool_rules.target_pool_id(pool, book)

    visible = _Visible(actor)

    def one(pk: int) -> None:
        customer = visible.get(pk)
        if customer.owner_id != actor.pk:
            raise Forbidden(_("Only the owner can return this customer."), code="not_owner")
        at = now or timezone.now()
        moved = {} if pool is None else {"pool_id": target}
        done = Customer.objects.filter(pk=pk, owner_id=actor.pk).update(**_UNCLAIMED, **moved, **_ver(at))
        if not done:
            raise Conflict(code="conflict")
        changes = {"owner": [actor.pk, None]}
        if pool is not None and book.pool_id(customer.pool_id) != pool:
            changes["pool"] = [book.pool_id(customer.pool_id), pool]
        _event(pk, actor, EventAction.RETURN, reason=reason, changes=changes)
        pool_rules.ownership_lost(customer_ids=[pk], user_id=actor.pk, at=at)
        _end_shares(pk, actor)

    return _batch(ids, one)


def _ver(now: datetime) -> dict:
    return {"version": F("version") + 1, "updated_at": now}


def _end_shares(pk: int, actor: User) -> None:
    """A share is the owner letting colleagues see a customer: it ends when the customer leaves that
    owner (returned, recalled, assigned), so the next owner's customer is not seen by the last one's
    colleagues. Recorded as an unshare in the customer's history."""
    shares = Share.objects.filter(customer_id=pk)
    gone = list(shares.values("user_id", "department_id"))
    if not gone:
        return
    shares.delete()
    targets = [{"user": g["user_id"]} if g["user_id"] else {"department": g["department_id"]} for g in gone]
    _event(pk, actor, EventAction.UNSHARE, reason=_("Owner changed"), changes={"targets": targets})


def customer_recall(*, actor: User, ids: list[int], reason: str = "") -> BatchResult:
    """CUS-1/3 收回: a superior or administrator puts claimed customers back into the pool."""
    require(actor, Permission.RECALL)
    scope = _scope_owner_ids(actor)

    visible = _Visible(actor)

    def one(pk: int) -> None:
        customer = visible.get(pk)
        if customer.owner_id is None:
            raise Conflict(_("This customer is not claimed; there is nothing to recall."), code="not_claimed")
        if scope is not None and customer.owner_id not in scope:
            raise Forbidden(_("This customer's owner is outside your scope."), code="out_of_scope")
        now = timezone.now()
        done = Customer.objects.filter(pk=pk, owner_id=customer.owner_id).update(**_UNCLAIMED, **_ver(now))
        if not done:
            raise Conflict(code="conflict")
        _event(pk, actor, EventAction.RECALL, reason=reason, changes={"owner": [customer.owner_id, None]})
        pool_rules.ownership_lost(customer_ids=[pk], user_id=customer.owner_id, at=now)
        _end_shares(pk, actor)

    return _batch(ids, one)


def customer_assign(
    *, actor: User, ids: list[int], to: list[int], strategy: str | None = None, reason: str = ""
) -> BatchResult:
    """CUS-4 指派: to one user, or spread evenly over several (counts differ by at most one)."""
    require(actor, Permission.ASSIGN)
    to = list(dict.fromkeys(to))
    if not to:
        raise InvalidInput(fields={"to": [_("Choose at least one employee.")]})
    if len(to) > 1 and strategy != "even":
        raise InvalidInput(fields={"strategy": [_('Use strategy "even" to spread customers over several people.')]})
    scope = _scope_owner_ids(actor)
    users = {u.pk: u for u in User.objects.filter(pk__in=to, is_active=True)}
    bad = [pk for pk in to if pk not in users or (scope is not None and pk not in scope)]
    if bad:
        raise InvalidInput(fields={"to": [_("Assign only to active employees within your scope.")]})
    targets = sorted(to)
    turn = {"next": 0}
    book = pool_rules.RulesBook()

    visible = _Visible(actor)

    def one(pk: int) -> None:
        customer = visible.get(pk)
        owner = customer.owner_id
        if owner is not None and scope is not None and owner not in scope:
            raise Forbidden(_("This customer's owner is outside your scope."), code="out_of_scope")
        target = targets[turn["next"] % len(targets)]
        if owner == target:
            turn["next"] += 1
            return
        now = timezone.now()
        row = Customer.objects.filter(pk=pk).values(*pool_rules.FACTS).first()
        pool_rules.assign_check(target=users[target], row=row, book=book)
        same_owner = Q(owner_id__isnull=True) if owner is None else Q(owner_id=owner)
        done = (
            Customer.objects.filter(same_owner, pk=pk, deleted_at__isnull=True)
            .filter(pk=pk)
            .update(owner_id=target, claimed_at=now, claim_followed_at=None, locked_at=None, **_ver(now))
        )
        if not done:
            raise Conflict(code="conflict")
        _event(pk, actor, EventAction.ASSIGN, reason=reason, changes={"owner": [owner, target]})
        if owner is not None:
            pool_rules.ownership_lost(customer_ids=[pk], user_id=owner, at=now)
            _end_shares(pk, actor)
        pool_rules.countdown_refresh([pk], book=book)
        turn["next"] += 1

    return _batch(ids, one)


def _require_share_rights(actor: User, customer: Customer) -> None:
    if not selectors.customer_may_share(user=actor, customer=customer):
        raise Forbidden(_("Only the owner or a manager can change who it is shared with."), code="not_owner")


def _share_targets(users: list[int], departments: list[int]) -> tuple[list[User], list[Department]]:
    user_rows = list(User.objects.filter(pk__in=users, is_active=True))
    dept_rows = list(Department.objects.filter(pk__in=departments))
    errors = {}
    if len(user_rows) != len(set(users)):
        errors["users"] = [_("Share only with active employees.")]
    if len(dept_rows) != len(set(departments)):
        errors["departments"] = [_("Unknown department.")]
    if not users and not departments:
        errors["users"] = [_("Choose people or departments to share with.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return user_rows, dept_rows


def customer_share(
    *,
    actor: User,
    ids: list[int],
    users: list[int] | None = None,
    departments: list[int] | None = None,
    access: str = ShareAccess.READ,
    until: date | None = None,
    reason: str = "",
) -> BatchResult:
    """CUS-3/5 共享 with people or whole departments, read-only by default, optionally until a date."""
    require(actor, Permission.SHARE)
    if access not in ShareAccess.values:
        raise InvalidInput(fields={"access": [_("Unknown access.")]})
    if until is not None and until < timezone.localdate():
        raise InvalidInput(fields={"until": [_("The end date is in the past.")]})
    user_rows, dept_rows = _share_targets(users or [], departments or [])

    visible = _Visible(actor)

    def one(pk: int) -> None:
        customer = visible.get(pk)
        _require_share_rights(actor, customer)
        added = []
        for user in user_rows:
            if user.pk == customer.owner_id:
                continue
            Share.objects.update_or_create(
                customer=customer, user=user, defaults={"access": access, "until": until, "created_by": actor}
            )
            added.append({"user": user.pk})
        for department in dept_rows:
            Share.objects.update_or_create(
                customer=customer,
                department=department,
                defaults={"access": access, "until": until, "created_by": actor},
            )
            added.append({"department": department.pk})
        _event(
            pk,
            actor,
            EventAction.SHARE,
            reason=reason,
            changes={"targets": added, "access": access, "until": _json(until)},
        )

    return _batch(ids, one)


def customer_unshare(
    *, actor: User, ids: list[int], users: list[int] | None = None, departments: list[int] | None = None, reason=""
) -> BatchResult:
    """CUS-5 取消共享."""
    require(actor, Permission.SHARE)
    users, departments = users or [], departments or []
    if not users and not departments:
        raise InvalidInput(fields={"users": [_("Choose people or departments to share with.")]})

    visible = _Visible(actor)

    def one(pk: int) -> None:
        customer = visible.get(pk)
        _require_share_rights(actor, customer)
        gone = list(
            Share.objects.filter(customer=customer)
            .filter(Q(user_id__in=users) | Q(department_id__in=departments))
            .values("user_id", "department_id")
        )
        Share.objects.filter(customer=customer).filter(Q(user_id__in=users) | Q(department_id__in=departments)).delete()
        targets = [{"user": g["user_id"]} if g["user_id"] else {"department": g["department_id"]} for g in gone]
        _event(pk, actor, EventAction.UNSHARE, reason=reason, changes={"targets": targets})

    return _batch(ids, one)


def customer_promote(*, actor: User, ids: list[int], stage: Stage | None = None, reason: str = "") -> BatchResult:
    """CUS-8 升迁: to the given later stage, or to the next one."""
    require(actor, Permission.PROMOTE)
    stages = list(Stage.objects.filter(is_active=True).order_by("position", "id"))
    if stage is not None and stage not in stages:
        raise InvalidInput(fields={"stage": [_("Choose an active stage.")]})

    visible = _Visible(actor)

    def one(pk: int) -> None:
        customer = visible.get(pk)
        if selectors.customer_access(user=actor, customer=customer) == "read":
            raise Forbidden(_("This customer is shared with you read-only."), code="read_only")
        current = customer.stage
        later = [s for s in stages if (s.position, s.pk) > (current.position, current.pk)]
        target = stage or (later[0] if later else None)
        if target is None:
            raise Conflict(_("This customer is already at the last stage."), code="last_stage")
        if target not in later:
            raise Conflict(_("A customer can only be promoted to a later stage."), code="not_later_stage")
        done = Customer.objects.filter(pk=pk, stage_id=current.pk).update(stage=target, **_ver(timezone.now()))
        if not done:
            raise Conflict(code="conflict")
        _event(pk, actor, EventAction.PROMOTE, reason=reason, changes={"stage": [current.code, target.code]})

    return _batch(ids, one)


def customer_delete(*, actor: User, ids: list[int], reason: str = "") -> BatchResult:
    """CUS-1: only unclaimed customers are deleted, softly; administrators may restore them."""
    require(actor, Permission.DELETE)

    visible = _Visible(actor)

    def one(pk: int) -> None:
        visible.get(pk)
        now = timezone.now()
        done = Customer.objects.filter(pk=pk, owner_id__isnull=True, deleted_at__isnull=True).update(
            deleted_at=now, **_ver(now)
        )
        if not done:
            raise Conflict(_("Claimed customers cannot be deleted; recall them first."), code="customer_claimed")
        _event(pk, actor, EventAction.DELETE, reason=reason)

    return _batch(ids, one)


def customer_restore(*, actor: User, ids: list[int], reason: str = "") -> BatchResult:
    """CUS-15: bring deleted (or merged-away) customers back into the pool."""
    require(actor, Permission.RESTORE)

    visible = _Visible(actor, deleted=True)

    def one(pk: int) -> None:
        visible.get(pk)
        done = Customer.objects.filter(pk=pk, deleted_at__isnull=False).update(
            deleted_at=None, merged_into=None, **_ver(timezone.now())
        )
        if not done:
            raise Conflict(code="conflict")
        _event(pk, actor, EventAction.RESTORE, reason=reason)

    return _batch(ids, one)


def customer_merge(
    *,
    actor: User,
    target: int,
    ids: list[int],
    reason: str = "",
    values: dict | None = None,
    version: int | None = None,
) -> BatchResult:
    """CUS-6 合并: move every contact, share, relation and history row of ``ids`` into ``target``;
    the merged customers are soft-deleted with a pointer to the survivor (restorable).

    ``values`` (with the survivor's ``version``) are the values a person chose for the survivor on the
    merge screen: saved and merged in one transaction — if the edit or any merge fails, nothing changes."""
    require(actor, Permission.MERGE)
    survivor = _visible(actor, target)
    if selectors.customer_access(user=actor, customer=survivor) == "read":
        raise Forbidden(_("This customer is shared with you read-only."), code="read_only")
    if values:
        with transaction.atomic():
            customer_update(actor=actor, customer=survivor, version=version, data=values, reason=reason)
            result = customer_merge(actor=actor, target=target, ids=ids, reason=reason)
            if result.failed:
                transaction.set_rollback(True)
                undone = Conflict(
                    _("Not merged: the merge was undone because another part of it failed."), code="undone"
                )
                for pk in result.succeeded:
                    result.fail(pk, undone)
                result.succeeded = []
            return result

    def one(pk: int) -> None:
        if pk == survivor.pk:
            raise InvalidInput(fields={"ids": [_("A customer cannot be merged into itself.")]})
        source = _visible(actor, pk)
        if selectors.customer_access(user=actor, customer=source) == "read":
            raise Forbidden(_("This customer is shared with you read-only."), code="read_only")
        keep = Customer.objects.select_for_update().get(pk=survivor.pk)
        filled = {}
        for field in CUSTOMER_FIELDS:
            if field in {"name", "stage"}:
                continue
            mine, theirs = getattr(keep, field), getattr(source, field)
            if mine in ("", None) and theirs not in ("", None):
                filled[field] = [mine, _json(theirs)]
                setattr(keep, field, theirs)
        if filled:
            keep.version += 1
            keep.save()
        has_primary = keep.contacts.filter(is_primary=True).exists()
        if has_primary:
            source.contacts.update(is_primary=False)
        source.contacts.update(customer=keep)
        for share in source.shares.all():
            exists = keep.shares.filter(user_id=share.user_id, department_id=share.department_id).exists()
            if exists or share.user_id == keep.owner_id:
                share.delete()
            else:
                share.customer = keep
                share.save(update_fields=["customer"])
        for relation in CustomerRelation.objects.filter(Q(from_customer=source) | Q(to_customer=source)):
            a = keep.pk if relation.from_customer_id == source.pk else relation.from_customer_id
            b = keep.pk if relation.to_customer_id == source.pk else relation.to_customer_id
            duplicate = CustomerRelation.objects.filter(
                from_customer_id=a, to_customer_id=b, relation_type=relation.relation_type
            ).exists()
            if a == b or duplicate:
                relation.delete()
            else:
                CustomerRelation.objects.filter(pk=relation.pk).update(from_customer_id=a, to_customer_id=b)
        for hook in MERGE_HOOKS:
            hook(source, keep, actor)
        _move_records_of_other_apps(source, keep)
        moved_events = CustomerEvent.objects.filter(customer=source).update(customer=keep)
        now = timezone.now()
        Customer.objects.filter(pk=source.pk).update(deleted_at=now, merged_into=keep, **_ver(now))
        details = {"merged": source.pk, "merged_name": source.name, "events_moved": moved_events, "filled": filled}
        _event(keep.pk, actor, EventAction.MERGE, reason=reason, changes=details)
        _event(source.pk, actor, EventAction.MERGE, reason=reason, changes={"merged_into": keep.pk})
        customer_search_refresh([keep.pk, source.pk])

    return _batch(ids, one)


# Relations to Customer that customer_merge moves itself (or must never move).
_MERGE_HANDLED = {
    (Contact, "customer"),
    (Share, "customer"),
    (CustomerRelation, "from_customer"),
    (CustomerRelation, "to_customer"),
    (CustomerEvent, "customer"),
    (Customer, "merged_into"),
}


def _move_records_of_other_apps(source: Customer, keep: Customer) -> None:
    """Every record of another app that hangs off the merged customer (interactions, quotes,
    contracts, attachments, tag links …) now hangs off the survivor — found from the model graph, so
    a new app needs no hook. History tables keep what they recorded. A row whose move would break a
    uniqueness rule of its own (the survivor already has its twin) stays with the merged customer,
    which can be restored."""
    for field in Customer._meta.get_fields(include_hidden=True):
        if not (field.one_to_many and field.auto_created):  # reverse foreign keys only (not one-to-one)
            continue
        model, name = field.related_model, field.field.name
        if (model, name) in _MERGE_HANDLED:
            continue
        if model.__name__.startswith("Historical"):  # django-simple-history: what was, stays
            continue
        rows = model._base_manager.filter(**{name: source.pk})
        try:
            with transaction.atomic():
                rows.update(**{name: keep.pk})
        except IntegrityError:
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{name: keep.pk})
                except IntegrityError:
                    continue


# ---------------------------------------------------------------- follow-ups (CUS-9)


@transaction.atomic
def customer_follow_up_record(*, actor: User, customer: Customer, at: datetime | None = None) -> None:
    """Called by the activities domain when an interaction is logged: keeps last_followed_at and the
    new/old classification (seed 003 §1.1.4) current."""
    at = at or timezone.now()
    started = selectors.recent_follow_run_start(customer, actor=actor, at=at)
    Customer.objects.filter(pk=customer.pk).update(
        last_followed_at=at, last_followed_by=actor, follow_run_started_at=started
    )
    # CUS-1: a follow-up restarts the no-follow-up countdown; the first one since the claim feeds the
    # pool health dashboard (claim → first follow-up).
    Customer.objects.filter(
        pk=customer.pk, owner_id__isnull=False, claim_followed_at__isnull=True, claimed_at__lte=at
    ).update(claim_followed_at=at)
    pool_rules.countdown_refresh([customer.pk])


_DEAL_FACTS = {"last_deal_at", "contract_ended_at", "contract_ended_on", "open_deals", "signed_contracts"}


@transaction.atomic
def customer_deal_facts_set(customer_id: int, **facts: Any) -> None:
    """Called by the sales apps when a deal is won, a contract signed or ended, an opportunity opened
    or closed: stores the facts the pool rules read (CUS-1 auto-return, exemptions, deal customers)
    and recomputes the countdown. ``contract_ended_on`` may be given as a date (end of that day)."""
    unknown = set(facts) - _DEAL_FACTS
    if unknown:
        raise TypeError(f"unknown deal facts: {sorted(unknown)}")
    if "contract_ended_on" in facts:
        day = facts.pop("contract_ended_on")
        facts["contract_ended_at"] = (
            None
            if day is None
            else timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))
        )
    if facts:
        Customer.objects.filter(pk=customer_id).update(**facts)
    pool_rules.countdown_refresh([customer_id])


# ---------------------------------------------------------------- contacts (CUS-10)


def _social_relations_set(contact: Contact, relations: list[dict]) -> None:
    if not relations:
        return
    known = _dictionary_codes(["social_relation_type"])["social_relation_type"]
    for index, relation in enumerate(relations):
        if relation.get("relation_type") not in known:
            raise InvalidInput(
                fields={
                    f"social_relations[{index}].relation_type": [
                        _("Unknown value; choose one from the data dictionary.")
                    ]
                }
            )
    SocialRelation.objects.bulk_create(
        SocialRelation(
            contact=contact,
            relation_type=r["relation_type"],
            name=(r.get("name") or "").strip(),
            remarks=r.get("remarks") or "",
        )
        for r in relations
    )


@transaction.atomic
def contact_create(*, actor: User, customer: Customer, data: dict) -> Contact:
    _require_edit(actor, customer)
    values = _validate_contact({k: v for k, v in data.items() if k in CONTACT_FIELDS})
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    has_primary = customer.contacts.filter(is_primary=True).exists()
    primary = bool(values.pop("is_primary", False)) or not has_primary
    if primary and has_primary:
        customer.contacts.filter(is_primary=True).update(is_primary=False)
    contact = Contact.objects.create(customer=customer, is_primary=primary, created_by=actor, **values)
    _social_relations_set(contact, data.get("social_relations") or [])
    customer_search_refresh([customer.pk])
    _event(customer.pk, actor, EventAction.CONTACT, changes={"added": contact.name, "contact": contact.pk})
    return contact


@transaction.atomic
def contact_update(*, actor: User, contact: Contact, data: dict) -> Contact:
    customer = contact.customer
    _require_edit(actor, customer)
    values = _validate_contact({k: v for k, v in data.items() if k in CONTACT_FIELDS})
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    changes = {}
    if values.pop("is_primary", None) and not contact.is_primary:
        customer.contacts.filter(is_primary=True).update(is_primary=False)
        contact.is_primary = True
        changes["is_primary"] = [False, True]
    for field, new in values.items():
        old = getattr(contact, field)
        if old != new:
            changes[field] = [_json(old), _json(new)]
            setattr(contact, field, new)
    contact.save()
    if "social_relations" in data:
        contact.social_relations.all().delete()
        _social_relations_set(contact, data.get("social_relations") or [])
        changes["social_relations"] = [None, len(data.get("social_relations") or [])]
    customer_search_refresh([customer.pk])
    if changes:
        _event(customer.pk, actor, EventAction.CONTACT, changes={"contact": contact.pk, **changes})
    return contact


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    customer = contact.customer
    _require_edit(actor, customer)
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    # CUS-15: the history keeps what was removed.
    snapshot = {f: _json(getattr(contact, f)) for f in CONTACT_FIELDS}
    was_primary = contact.is_primary
    contact.delete()
    if was_primary:
        successor = customer.contacts.order_by("id").first()
        if successor is not None:
            Contact.objects.filter(pk=successor.pk).update(is_primary=True)
    customer_search_refresh([customer.pk])
    _event(customer.pk, actor, EventAction.CONTACT, changes={"removed": snapshot})


# ---------------------------------------------------------------- customer relations (CUS-11)


@transaction.atomic
def relation_create(
    *, actor: User, customer: Customer, other: Customer, relation_type: str, remarks: str = ""
) -> CustomerRelation:
    _require_edit(actor, customer)
    if other.pk == customer.pk:
        raise InvalidInput(fields={"to_customer": [_("A customer cannot be related to itself.")]})
    if relation_type not in _dictionary_codes(["relation_type"])["relation_type"]:
        raise InvalidInput(fields={"relation_type": [_("Unknown value; choose one from the data dictionary.")]})
    if CustomerRelation.objects.filter(from_customer=customer, to_customer=other, relation_type=relation_type).exists():
        raise InvalidInput(fields={"to_customer": [_("This relation already exists.")]})
    relation = CustomerRelation.objects.create(
        from_customer=customer, to_customer=other, relation_type=relation_type, remarks=remarks, created_by=actor
    )
    _event(customer.pk, actor, EventAction.RELATION, changes={"added": other.pk, "relation_type": relation_type})
    return relation


@transaction.atomic
def relation_delete(*, actor: User, customer: Customer, relation: CustomerRelation) -> None:
    _require_edit(actor, customer)
    details = {"removed": relation.to_customer_id, "relation_type": relation.relation_type}
    relation.delete()
    _event(customer.pk, actor, EventAction.RELATION, changes=details)


# ---------------------------------------------------------------- stages (CUS-8, configurable)


@transaction.atomic
def stage_create(*, actor: User, code: str, name: str, color: str = "", position: int | None = None) -> Stage:
    require(actor, SystemPermission.MANAGE_DICTIONARY)
    if Stage.objects.filter(code=code).exists():
        raise InvalidInput(fields={"code": [_("This code already exists in this list.")]})
    if position is None:
        last = Stage.objects.order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 1
    return Stage.objects.create(code=code, name=name, color=color, position=position, created_by=actor)


@transaction.atomic
def stage_update(*, actor: User, stage: Stage, version: int | None, **changes) -> Stage:
    require(actor, SystemPermission.MANAGE_DICTIONARY)
    allowed = {k: v for k, v in changes.items() if k in {"name", "color", "position", "is_active"}}
    return versioned_update(stage, version=version, changes=allowed)


# ---------------------------------------------------------------- tags (标签)

_TAG_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-z]{0,20})$")


def _validate_tag(name: str | None, color: str | None) -> dict:
    errors: dict[str, list[str]] = {}
    values: dict = {}
    if name is not None:
        values["name"] = name.strip()
        if not values["name"]:
            errors["name"] = [_("This field may not be blank.")]
        elif len(values["name"]) > 30:
            errors["name"] = [_("A tag has at most 30 characters.")]
    if color is not None:
        values["color"] = color.strip()
        if not _TAG_COLOR.match(values["color"]):
            errors["color"] = [_("Use a colour like #409EFF.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return values


@transaction.atomic
def tag_create(*, actor: User, name: str, color: str = ""):
    from shoal.customers.models import Tag

    require(actor, Permission.EDIT)
    values = _validate_tag(name, color)
    try:
        with transaction.atomic():
            return Tag.objects.create(created_by=actor, **values)
    except IntegrityError:
        raise InvalidInput(fields={"name": [_("This tag already exists.")]}) from None


@transaction.atomic
def tag_update(*, actor: User, tag, name: str | None = None, color: str | None = None):
    require(actor, SystemPermission.MANAGE_DICTIONARY)
    values = _validate_tag(name, color)
    for key, value in values.items():
        setattr(tag, key, value)
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError:
        raise InvalidInput(fields={"name": [_("This tag already exists.")]}) from None
    return tag


@transaction.atomic
def tag_delete(*, actor: User, tag) -> None:
    require(actor, SystemPermission.MANAGE_DICTIONARY)
    tag.delete()


@transaction.atomic
def customer_tags_set(*, actor: User, customer: Customer, tags: list[int], reason: str = "") -> list:
    """Replace a customer's tags (owner, read-write sharee or a manager over it); history keeps both."""
    from shoal.customers.models import CustomerTag, Tag

    _require_edit(actor, customer)
    wanted = {t.pk: t for t in Tag.objects.filter(pk__in=set(tags))}
    if len(wanted) != len(set(tags)):
        raise InvalidInput(fields={"tags": [_("Unknown tag.")]})
    before = set(CustomerTag.objects.filter(customer=customer).values_list("tag_id", flat=True))
    after = set(wanted)
    if before != after:
        CustomerTag.objects.filter(customer=customer).exclude(tag_id__in=after).delete()
        CustomerTag.objects.bulk_create(
            [CustomerTag(customer=customer, tag_id=pk) for pk in after - before], ignore_conflicts=True
        )
        names = dict(Tag.objects.filter(pk__in=before | after).values_list("id", "name"))
        _event(
            customer.pk,
            actor,
            EventAction.EDIT,
            reason=reason,
            changes={"tags": [sorted(names[p] for p in before if p in names), sorted(names[p] for p in after)]},
        )
    return sorted(wanted.values(), key=lambda t: t.name)
