"""Pool rules (CUS-1, SYS-2): the countdown to auto-return, the checks made when ownership changes,
the auto-return job and its dry run, locks, pools and their members.

The countdown of a customer is computed in one place, ``countdown()``, from the facts on its row and
its pool's rules; everything else — claim, assign, follow-up, deal facts, rule changes, the job, the
preview — goes through it, so the preview answers exactly what the job would do.

Refusals name the rule and say when it will allow the action again (CUS-1: "visible before they bite").
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ShoalError
from shoal.core.permissions import require
from shoal.core.versioning import versioned_update
from shoal.org.models import Department, User
from shoal.pools import notify
from shoal.pools.models import Cooldown, CounterKind, DailyCounter, HoldingScope, Pool, PoolRules, PoolView, ReturnRun
from shoal.pools.permissions import Permission
from shoal.pools.selectors import default_pool

DAY = timedelta(days=1)
LEVEL_DAY_FIELDS = ("no_follow_up_days", "no_deal_days", "after_contract_days")
# The facts of a customer row the rules read.
FACTS = (
    "id",
    "pool_id",
    "owner_id",
    "level",
    "claimed_at",
    "last_followed_at",
    "last_deal_at",
    "contract_ended_at",
    "open_deals",
    "signed_contracts",
    "locked_at",
    "return_due_at",
    "return_rule",
)
RULE_FIELDS = (
    "auto_return",
    "no_follow_up_days",
    "no_deal_days",
    "after_contract_days",
    "level_days",
    "exempt_open_deals",
    "exempt_signed_contracts",
    "exempt_locked",
    "lock_limit",
    "return_to",
    "warning",
    "warning_days",
    "daily_claim",
    "daily_claim_limit",
    "holding",
    "holding_limit",
    "holding_scope",
    "holding_counts_deals",
    "cooldown",
    "cooldown_days",
    "mask_phones",
    "view_limit",
    "daily_view_limit",
)


# ---------------------------------------------------------------- errors (one code per rule)


class RuleRefusal(Conflict):
    """409: a pool rule refused the action; the message names the rule and when it will allow it."""


class ViewLimitReached(ShoalError):
    status = 429
    code = "view_limit_reached"


def _when(at: datetime) -> str:
    return formats.date_format(timezone.localtime(at), "Y-m-d H:i")


def _daily_claim_refusal(limit: int) -> RuleRefusal:
    return RuleRefusal(
        _("Today's claims have reached the limit of %(limit)d (daily claim limit); you can claim again tomorrow.")
        % {"limit": limit},
        code="claim_limit_reached",
    )


def _holding_refusal(limit: int, *, scope: str, who: str | None = None) -> RuleRefusal:
    if who:
        message = _(
            "%(who)s already holds %(limit)d customers (holding limit); assign again after some are returned or won."
        ) % {"who": who, "limit": limit}
    elif scope == HoldingScope.DEPARTMENT:
        message = _(
            "Your department already holds %(limit)d customers (holding limit); you can claim again once "
            "some are returned or won."
        ) % {"limit": limit}
    else:
        message = _(
            "You already hold %(limit)d customers (holding limit); you can claim again once you return "
            "some or win deals."
        ) % {"limit": limit}
    return RuleRefusal(message, code="holding_limit_reached")


def _cooldown_refusal(days: int, until: datetime) -> RuleRefusal:
    return RuleRefusal(
        _(
            "You gave up this customer recently (previous-owner cool-down of %(days)d days); you can claim it again after %(when)s."
        )
        % {"days": days, "when": _when(until)},
        code="cooldown_active",
    )


# ---------------------------------------------------------------- the rules of every pool, loaded once


class RulesBook:
    """Every pool's rules, loaded once per request or job run (pools are few)."""

    def __init__(self) -> None:
        # One query in the usual case: every pool has its rules row (created with the pool).
        self.rules = {r.pool_id: r for r in PoolRules.objects.select_related("pool")}
        defaults = [pid for pid, r in self.rules.items() if r.pool.is_default]
        if not defaults or Pool.objects.exclude(pk__in=list(self.rules)).exists():
            self.default_id = default_pool().pk
            missing = Pool.objects.exclude(pk__in=list(self.rules)).values_list("pk", flat=True)
            # ignore_conflicts: a concurrent request may create the same rows (first use after a flush)
            PoolRules.objects.bulk_create([PoolRules(pool_id=pk) for pk in missing], ignore_conflicts=True)
            self.rules = {r.pool_id: r for r in PoolRules.objects.select_related("pool")}
        else:
            self.default_id = defaults[0]

    def pool_id(self, pool_id: int | None) -> int:
        return pool_id or self.default_id

    def of(self, pool_id: int | None) -> PoolRules:
        return self.rules[self.pool_id(pool_id)]

    def plain_claims(self) -> bool:
        """No pool has a rule that a claim must check or set (the one-statement claim then suffices)."""
        return not any(r.auto_return or r.daily_claim or r.holding or r.cooldown for r in self.rules.values())


# ---------------------------------------------------------------- the countdown (one implementation)


@dataclass(frozen=True)
class Due:
    at: datetime
    rule: str  # no_follow_up | no_deal | contract_ended
    days: int

    @property
    def code(self) -> str:
        return f"{self.rule}:{self.days}"


def days_for_level(rules: PoolRules, level: str) -> dict[str, int | None]:
    """The pool-wide day counts, overridden per customer level (0 or null switches a rule off)."""
    days = {name: getattr(rules, name) for name in LEVEL_DAY_FIELDS}
    override = (rules.level_days or {}).get(level or "") or {}
    for name in LEVEL_DAY_FIELDS:
        if name in override:
            days[name] = override[name]
    return days


def countdown(rules: PoolRules, row: dict) -> Due | None:
    """When a claimed customer goes back to its pool, and by which rule (the earliest one wins):
    N days without a follow-up, M days without a won deal, P days after its last contract ended —
    each counted from the claim at the earliest. None: not claimed, exempt, or auto-return off."""
    claimed = row.get("claimed_at")
    if not rules.auto_return or row.get("owner_id") is None or claimed is None:
        return None
    if rules.exempt_open_deals and row.get("open_deals"):
        return None
    if rules.exempt_signed_contracts and row.get("signed_contracts"):
        return None
    if rules.exempt_locked and row.get("locked_at"):
        return None
    days = days_for_level(rules, row.get("level") or "")
    options: list[Due] = []
    if days["no_follow_up_days"]:
        n = days["no_follow_up_days"]
        options.append(Due(max(claimed, row.get("last_followed_at") or claimed) + n * DAY, "no_follow_up", n))
    if days["no_deal_days"]:
        m = days["no_deal_days"]
        options.append(Due(max(claimed, row.get("last_deal_at") or claimed) + m * DAY, "no_deal", m))
    if days["after_contract_days"] and row.get("contract_ended_at"):
        p = days["after_contract_days"]
        options.append(Due(max(claimed, row["contract_ended_at"]) + p * DAY, "contract_ended", p))
    if not options:
        return None
    return min(options, key=lambda d: (d.at, d.rule))


def days_left(due: datetime | None, now: datetime | None = None) -> int | None:
    """Whole days until ``due`` (0 = goes back at the next run), for the "剩余天数" column."""
    if due is None:
        return None
    seconds = (due - (now or timezone.now())).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def reason_text(rule_code: str) -> str:
    rule, _sep, days = (rule_code or "").partition(":")
    n = int(days or 0)
    if rule == "no_follow_up":
        return _("auto-return: no follow-up for %(n)d days") % {"n": n}
    if rule == "no_deal":
        return _("auto-return: no deal for %(n)d days") % {"n": n}
    if rule == "contract_ended":
        return _("auto-return: %(n)d days after the last contract ended") % {"n": n}
    return _("auto-return")


def countdown_refresh(
    customer_ids: Iterable[int] | None = None, *, pool_id: int | None = None, book: RulesBook | None = None
) -> int:
    """Recompute the stored countdown of the given customers (or every claimed customer of a pool);
    writes only the rows whose value changed. Returns how many changed."""
    from shoal.customers.models import Customer

    book = book or RulesBook()
    qs = Customer.objects.filter(owner_id__isnull=False) if customer_ids is None else Customer.objects.all()
    if customer_ids is not None:
        qs = qs.filter(pk__in=list(customer_ids))
    if pool_id is not None:
        qs = qs.filter(pool_id__isnull=True) if pool_id == book.default_id else qs.filter(pool_id=pool_id)
    changed = 0
    for chunk in _chunks(qs.order_by().values(*FACTS).iterator(chunk_size=5000), 5000):
        updates = []
        for row in chunk:
            due = countdown(book.of(row["pool_id"]), row)
            at, code = (due.at, due.code) if due else (None, "")
            if at != row["return_due_at"] or code != row["return_rule"]:
                updates.append((row["id"], at, code))
        _set_countdowns(updates)
        changed += len(updates)
    return changed


def _set_countdowns(updates: list[tuple[int, datetime | None, str]]) -> None:
    """Write (id, return_due_at, return_rule) rows: one UPDATE … FROM unnest() per call on PostgreSQL."""
    from shoal.customers.models import Customer

    if not updates:
        return
    if connection.vendor == "postgresql":
        table = Customer._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} c SET return_due_at = v.due, return_rule = v.rule "  # noqa: S608 — constant table name
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[]) AS v(id, due, rule) WHERE c.id = v.id",
                [[u[0] for u in updates], [u[1] for u in updates], [u[2] for u in updates]],
            )
        return
    rows = [Customer(pk=pk, return_due_at=at, return_rule=code) for pk, at, code in updates]
    Customer.objects.bulk_update(rows, ["return_due_at", "return_rule"], batch_size=500)


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------- checks when ownership changes

_USER_LOCK = 0x5348_4F41 << 32  # the same namespace as customers' claim lock: one lock per claimant
_DEPARTMENT_LOCK = 0x504F_4F4C << 32  # "POOL" + department id


def _advisory_lock(key: int) -> None:
    """Serialise what one user (or department) does under the rules until the transaction ends.
    PostgreSQL: an advisory lock; SQLite's IMMEDIATE transactions already serialise writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def lock_user(user: User, rules: PoolRules | None = None) -> None:
    _advisory_lock(_USER_LOCK | user.pk)
    if rules is not None and rules.holding and rules.holding_scope == HoldingScope.DEPARTMENT and user.department_id:
        _advisory_lock(_DEPARTMENT_LOCK | user.department_id)


def _is_deal_customer(row: dict) -> bool:
    return row.get("last_deal_at") is not None


def holding_count(user: User, rules: PoolRules) -> int:
    """Customers held by the rep (or the rep's department), deal customers counted by option."""
    from shoal.customers.models import Customer, OwnerTally

    if rules.holding_scope == HoldingScope.DEPARTMENT and user.department_id:
        owners = Q(owner__department_id=user.department_id)
        if connection.vendor == "postgresql":
            total = (
                OwnerTally.objects.filter(user__department_id=user.department_id).aggregate(n=Sum("owned"))["n"] or 0
            )
        else:
            total = Customer.objects.filter(owners, deleted_at__isnull=True).count()
    else:
        owners = Q(owner_id=user.pk)
        if connection.vendor == "postgresql":
            total = OwnerTally.objects.filter(user_id=user.pk).values_list("owned", flat=True).first() or 0
        else:
            total = Customer.objects.filter(owners, deleted_at__isnull=True).count()
    if not rules.holding_counts_deals:
        total -= Customer.objects.filter(owners, deleted_at__isnull=True, last_deal_at__isnull=False).count()
    return total


def _counter(user_id: int, pool_id: int, kind: str, day) -> int:
    return (
        DailyCounter.objects.filter(user_id=user_id, pool_id=pool_id, day=day, kind=kind)
        .values_list("count", flat=True)
        .first()
        or 0
    )


def _counter_bump(user_id: int, pool_id: int, kind: str, day) -> None:
    bumped = DailyCounter.objects.filter(user_id=user_id, pool_id=pool_id, day=day, kind=kind).update(
        count=F("count") + 1
    )
    if not bumped:
        DailyCounter.objects.create(user_id=user_id, pool_id=pool_id, day=day, kind=kind, count=1)


def claim_check(*, actor: User, row: dict, book: RulesBook, now: datetime) -> None:
    """The rules a claim must pass, checked under the claimant's lock in the claim's transaction:
    previous-owner cool-down, daily claim limit (deal customers excluded), holding limit."""
    rules = book.of(row["pool_id"])
    if rules.cooldown:
        lost = Cooldown.objects.filter(customer_id=row["id"], user_id=actor.pk).values_list("lost_at", flat=True)
        lost_at = lost.first()
        if lost_at is not None and lost_at + rules.cooldown_days * DAY > now:
            raise _cooldown_refusal(rules.cooldown_days, lost_at + rules.cooldown_days * DAY)
    if rules.daily_claim and not _is_deal_customer(row):
        day = timezone.localdate(now)
        if _counter(actor.pk, book.pool_id(row["pool_id"]), CounterKind.CLAIM, day) >= rules.daily_claim_limit:
            raise _daily_claim_refusal(rules.daily_claim_limit)
    counted = rules.holding_counts_deals or not _is_deal_customer(row)
    if rules.holding and counted and holding_count(actor, rules) >= rules.holding_limit:
        raise _holding_refusal(rules.holding_limit, scope=rules.holding_scope)


def claim_counted(*, actor: User, row: dict, book: RulesBook, now: datetime) -> None:
    """A claim that went through uses one of today's claims (a refused one never does)."""
    rules = book.of(row["pool_id"])
    if rules.daily_claim and not _is_deal_customer(row):
        _counter_bump(actor.pk, book.pool_id(row["pool_id"]), CounterKind.CLAIM, timezone.localdate(now))


def assign_check(*, target: User, row: dict, book: RulesBook) -> None:
    """CUS-4 assign: the holding limit binds the receiving rep too."""
    rules = book.of(row["pool_id"])
    lock_user(target, rules)
    counted = rules.holding_counts_deals or not _is_deal_customer(row)
    if rules.holding and counted and holding_count(target, rules) >= rules.holding_limit:
        raise _holding_refusal(rules.holding_limit, scope=rules.holding_scope, who=target.display_name)


def create_claim_check(*, actor: User, book: RulesBook) -> None:
    """Create-and-claim puts a new customer in the default pool: its holding limit applies."""
    rules = book.of(None)
    lock_user(actor, rules)
    if rules.holding and holding_count(actor, rules) >= rules.holding_limit:
        raise _holding_refusal(rules.holding_limit, scope=rules.holding_scope)


def ownership_lost(
    *, customer_ids: Iterable[int] = (), user_id: int | None = None, at: datetime, pairs: Iterable[tuple[int, int]] = ()
) -> None:
    """Record that ``user_id`` lost these customers (or each (customer, user) of ``pairs``) — returned,
    recalled, auto-returned: the previous-owner cool-down counts from here."""
    rows = [Cooldown(customer_id=pk, user_id=user_id, lost_at=at) for pk in customer_ids]
    rows += [Cooldown(customer_id=pk, user_id=user, lost_at=at) for pk, user in pairs]
    Cooldown.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["customer", "user"], update_fields=["lost_at"], batch_size=1000
    )


def target_pool_id(pool: int | None, book: RulesBook) -> int | None:
    """The stored pool id of a return target (NULL for the default pool); unknown → 400."""
    if pool is None:
        return None
    if pool not in book.rules:
        raise InvalidInput(fields={"pool": [_("Unknown pool.")]})
    return None if pool == book.default_id else pool


# ---------------------------------------------------------------- anti-harvest (pool detail views)


@transaction.atomic
def pool_view_record(*, actor: User, customer_id: int, pool_id: int | None, now: datetime | None = None) -> None:
    """Counts the distinct pool customers whose public details a rep opens per day; over the pool's
    limit the details are refused until tomorrow. Pool administrators are not counted."""
    if actor.has_permission(Permission.MANAGE):
        return
    book = RulesBook()
    rules = book.of(pool_id)
    if not rules.view_limit:
        return
    now = now or timezone.now()
    day = timezone.localdate(now)
    lock_user(actor)
    if PoolView.objects.filter(user_id=actor.pk, day=day, customer_id=customer_id).exists():
        return
    if _counter(actor.pk, book.pool_id(pool_id), CounterKind.VIEW, day) >= rules.daily_view_limit:
        raise ViewLimitReached(
            _(
                "Today's views of pool customers have reached the limit of %(limit)d (anti-harvest); you can "
                "view more tomorrow."
            )
            % {"limit": rules.daily_view_limit}
        )
    PoolView.objects.create(user_id=actor.pk, day=day, customer_id=customer_id)
    _counter_bump(actor.pk, book.pool_id(pool_id), CounterKind.VIEW, day)


def mask_phone(value: str) -> str:
    """138****5678: the first three and last four digits (shorter numbers keep their last two)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) >= 8:
        return value[:3] + "****" + value[-4:]
    return "*" * max(0, len(value) - 2) + value[-2:]


# ---------------------------------------------------------------- locks (exempt from auto-return)


def customer_lock(*, actor: User, ids: list[int], locked: bool = True, now: datetime | None = None) -> BatchResult:
    """A rep locks own customers against auto-return, up to the pool's lock limit K."""
    from shoal.customers.models import Customer, CustomerEvent, EventAction

    require(actor, Permission.LOCK)
    book = RulesBook()
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                lock_user(actor)
                row = Customer.objects.filter(pk=pk, deleted_at__isnull=True).values(*FACTS).first()
                if row is None or row["owner_id"] != actor.pk:
                    raise NotFound()
                rules = book.of(row["pool_id"])
                if locked and row["locked_at"] is None:
                    if not (rules.auto_return and rules.exempt_locked and rules.lock_limit):
                        raise RuleRefusal(_("Locking is not enabled in this pool."), code="locking_disabled")
                    held = Customer.objects.filter(owner_id=actor.pk, locked_at__isnull=False).count()
                    if held >= rules.lock_limit:
                        raise RuleRefusal(
                            _("You have locked %(limit)d customers (lock limit); unlock one to lock another.")
                            % {"limit": rules.lock_limit},
                            code="lock_limit_reached",
                        )
                at = (now or timezone.now()) if locked else None
                if (row["locked_at"] is None) == locked:
                    Customer.objects.filter(pk=pk).update(locked_at=at)
                    CustomerEvent.objects.create(
                        customer_id=pk,
                        actor=actor,
                        action=EventAction.EDIT,
                        changes={"locked": [not locked, locked]},
                    )
                    countdown_refresh([pk], book=book)
        except ShoalError as error:
            result.fail(pk, error)
        else:
            result.ok(pk)
    return result


# ---------------------------------------------------------------- the auto-return job (and its dry run)


@dataclass
class Plan:
    """What a run does (or would do): customers returned, per owner, per rule; and warnings."""

    returned: list[dict] = field(default_factory=list)  # {"id", "name", "owner_id", "rule", "due"}
    warned: list[dict] = field(default_factory=list)
    batches: int = 0

    def owners(self) -> Counter:
        return Counter(r["owner_id"] for r in self.returned)


def _due_rows(qs, book: RulesBook, *, until: datetime, rules_override: dict | None = None):
    """Yield (row, Due) for the rows of ``qs`` whose countdown (recomputed now) ends by ``until``."""
    for row in qs:
        rules = (rules_override or {}).get(book.pool_id(row["pool_id"])) or book.of(row["pool_id"])
        due = countdown(rules, row)
        if due is not None and due.at <= until:
            yield row, due


def auto_return_run(*, now: datetime | None = None, batch_size: int = 1000, max_batches: int | None = None) -> Plan:
    """CUS-1 auto-return, the body of the periodic job: customers whose countdown has ended go back
    to their pool (or the rule's target pool) in batches, each batch one transaction; owners are
    warned D days before. Idempotent: a returned customer has no countdown, so a rerun finds nothing;
    each candidate's countdown is recomputed before it moves, so a stale stored value never returns
    a customer early (it is corrected instead)."""
    now = now or timezone.now()
    book = RulesBook()
    run = ReturnRun.objects.create(started_at=now)
    plan = Plan()
    while max_batches is None or plan.batches < max_batches:
        moved = _return_batch(now=now, book=book, batch_size=batch_size, plan=plan)
        plan.batches += 1
        if moved < batch_size:
            break
    _warn(now=now, book=book, plan=plan, batch_size=batch_size)
    ReturnRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), returned=len(plan.returned), warned=len(plan.warned), batches=plan.batches
    )
    return plan


def _return_batch(*, now: datetime, book: RulesBook, batch_size: int, plan: Plan) -> int:
    """One transaction: lock up to ``batch_size`` due rows (skipping rows another worker holds),
    recheck them, move the due ones. Returns how many candidate rows it examined."""
    from shoal.customers.models import Customer, CustomerEvent, EventAction, Share

    with transaction.atomic():
        candidates = Customer.objects.filter(
            return_due_at__lte=now, owner_id__isnull=False, deleted_at__isnull=True
        ).order_by("return_due_at", "id")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        rows = list(candidates.values(*FACTS, "name")[:batch_size])
        if not rows:
            return 0
        due_rows, stale = [], []
        for row in rows:
            due = countdown(book.of(row["pool_id"]), row)
            if due is not None and due.at <= now:
                due_rows.append((row, due))
            else:
                stale.append((row["id"], due.at if due else None, due.code if due else ""))
        _set_countdowns(stale)
        by_target: dict[int | None, list[int]] = defaultdict(list)
        for row, _due in due_rows:
            rules = book.of(row["pool_id"])
            target = rules.return_to_id if rules.return_to_id in book.rules else book.pool_id(row["pool_id"])
            by_target[None if target == book.default_id else target].append(row["id"])
        for target, ids in by_target.items():
            Customer.objects.filter(pk__in=ids, owner_id__isnull=False).update(
                owner_id=None,
                pool_id=target,
                claimed_at=None,
                claim_followed_at=None,
                locked_at=None,
                return_due_at=None,
                return_rule="",
                warned_due_at=None,
                version=F("version") + 1,
                updated_at=now,
            )
        events = []
        lost: dict[int, list[int]] = defaultdict(list)
        for row, due in due_rows:
            changes = {"owner": [row["owner_id"], None], "rule": due.code}
            rules = book.of(row["pool_id"])
            if rules.return_to_id and rules.return_to_id != book.pool_id(row["pool_id"]):
                changes["pool"] = [book.pool_id(row["pool_id"]), rules.return_to_id]
            events.append(
                CustomerEvent(
                    customer_id=row["id"],
                    actor=None,
                    action=EventAction.RETURN,
                    reason=reason_text(due.code),
                    changes=changes,
                )
            )
            lost[row["owner_id"]].append(row["id"])
            plan.returned.append(
                {"id": row["id"], "name": row["name"], "owner_id": row["owner_id"], "rule": due.code, "due": due.at}
            )
        ids = [row["id"] for row, _due in due_rows]
        shared = list(Share.objects.filter(customer_id__in=ids).values("customer_id", "user_id", "department_id"))
        if shared:
            Share.objects.filter(customer_id__in=ids).delete()
            targets: dict[int, list[dict]] = defaultdict(list)
            for s in shared:
                targets[s["customer_id"]].append(
                    {"user": s["user_id"]} if s["user_id"] else {"department": s["department_id"]}
                )
            events += [
                CustomerEvent(
                    customer_id=pk,
                    actor=None,
                    action=EventAction.UNSHARE,
                    reason=_("Owner changed"),
                    changes={"targets": t},
                )
                for pk, t in targets.items()
            ]
        CustomerEvent.objects.bulk_create(events, batch_size=1000)
        ownership_lost(pairs=[(pk, owner_id) for owner_id, pks in lost.items() for pk in pks], at=now)
        notices = [(owner_id, [r for r, _d in due_rows if r["owner_id"] == owner_id]) for owner_id in lost]
        transaction.on_commit(lambda: _notify_returned(notices, now))
        return len(rows)


def _notify_returned(notices: list[tuple[int, list[dict]]], now: datetime) -> None:
    for owner_id, rows in notices:
        names = "、".join(r["name"] for r in rows[:5]) + ("…" if len(rows) > 5 else "")
        notify.send(
            [owner_id],
            "pool.auto_return",
            _("%(n)d customers went back to the pool") % {"n": len(rows)},
            body=names,
            link="/customers/pool",
            dedupe_key=f"pool.auto_return:{owner_id}:{now.isoformat()}:{rows[0]['id']}",
        )


def _warn(*, now: datetime, book: RulesBook, plan: Plan, batch_size: int) -> None:
    """Warn owners D days before auto-return, once per countdown (``warned_due_at`` remembers it)."""
    from shoal.customers.models import Customer

    horizons = {pid: r.warning_days for pid, r in book.rules.items() if r.auto_return and r.warning}
    if not horizons:
        return
    latest = now + max(horizons.values()) * DAY
    after: tuple[datetime, int] | None = None  # keyset: each pass continues after the last row seen
    while True:
        with transaction.atomic():
            qs = (
                Customer.objects.filter(
                    return_due_at__gt=now, return_due_at__lte=latest, owner_id__isnull=False, deleted_at__isnull=True
                )
                .filter(Q(warned_due_at__isnull=True) | ~Q(warned_due_at=F("return_due_at")))
                .order_by("return_due_at", "id")
            )
            if after is not None:
                qs = qs.filter(Q(return_due_at__gt=after[0]) | Q(return_due_at=after[0], id__gt=after[1]))
            rows = list(qs.values("id", "name", "owner_id", "pool_id", "return_due_at")[:batch_size])
            if not rows:
                return
            after = (rows[-1]["return_due_at"], rows[-1]["id"])
            warn, skip = [], []
            for row in rows:
                days = horizons.get(book.pool_id(row["pool_id"]))
                (warn if days is not None and row["return_due_at"] <= now + days * DAY else skip).append(row)
            _set_warned([(row["id"], row["return_due_at"]) for row in rows])  # either way: the next pass moves on
            by_owner: dict[int, list[dict]] = defaultdict(list)
            for row in warn:
                by_owner[row["owner_id"]].append(row)
                plan.warned.append({"id": row["id"], "owner_id": row["owner_id"], "due": row["return_due_at"]})
            transaction.on_commit(lambda by_owner=by_owner: _notify_warned(by_owner, now))
            if len(rows) < batch_size:
                return


def _set_warned(rows: list[tuple[int, datetime]]) -> None:
    from shoal.customers.models import Customer

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Customer._meta.db_table} c SET warned_due_at = v.due "  # noqa: S608 — constant table name
                "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, due) WHERE c.id = v.id",
                [[r[0] for r in rows], [r[1] for r in rows]],
            )
        return
    Customer.objects.bulk_update(
        [Customer(pk=pk, warned_due_at=due) for pk, due in rows], ["warned_due_at"], batch_size=500
    )


def _notify_warned(by_owner: dict[int, list[dict]], now: datetime) -> None:
    for owner_id, rows in by_owner.items():
        first = min(r["return_due_at"] for r in rows)
        names = "、".join(r["name"] for r in rows[:5]) + ("…" if len(rows) > 5 else "")
        notify.send(
            [owner_id],
            "pool.return_warning",
            _("%(n)d customers go back to the pool from %(when)s unless followed up")
            % {"n": len(rows), "when": _when(first)},
            body=names,
            link="/customers/mine?ordering=return_due_at",
            dedupe_key=f"pool.return_warning:{owner_id}:{rows[0]['id']}:{first.isoformat()}",
        )


def auto_return_preview(
    *, actor: User, pool: Pool, rules: dict | None = None, now: datetime | None = None, horizon_days: int = 1
) -> dict:
    """Dry run of the job for one pool with the rules being edited (not yet saved): which claimed
    customers would go back within ``horizon_days`` (tomorrow by default) and which reps lose them.
    Same countdown as the job; nothing is written."""
    from shoal.customers.models import Customer
    from shoal.org.models import User as UserModel

    require(actor, Permission.MANAGE)
    now = now or timezone.now()
    book = RulesBook()
    candidate = _rules_from(book.of(pool.pk), rules or {})
    qs = Customer.objects.filter(owner_id__isnull=False, deleted_at__isnull=True)
    qs = qs.filter(pool_id__isnull=True) if pool.pk == book.default_id else qs.filter(pool_id=pool.pk)
    until = now + horizon_days * DAY
    qs = qs.filter(_could_be_due_q(candidate, until))
    rows = qs.order_by().values(*FACTS, "name").iterator(chunk_size=5000)
    hits = list(_due_rows(rows, book, until=until, rules_override={pool.pk: candidate}))
    owners = Counter(row["owner_id"] for row, _due in hits)
    rules_count = Counter(due.rule for _row, due in hits)
    names = dict(UserModel.objects.filter(pk__in=list(owners)).values_list("pk", "name"))
    hits.sort(key=lambda h: (h[1].at, h[0]["id"]))
    return {
        "until": until,
        "customers": len(hits),
        "reps": len(owners),
        "by_rule": dict(rules_count),
        "by_rep": [{"id": pk, "name": names.get(pk, ""), "count": n} for pk, n in owners.most_common()],
        "sample": [
            {
                "id": row["id"],
                "name": row["name"],
                "owner_id": row["owner_id"],
                "owner_name": names.get(row["owner_id"], ""),
                "due": due.at,
                "rule": due.code,
                "reason": reason_text(due.code),
            }
            for row, due in hits[:50]
        ],
    }


def _could_be_due_q(rules: PoolRules, until: datetime) -> Q:
    """A superset, in SQL, of the claimed customers whose countdown under ``rules`` ends by ``until``:
    every term is at least its base date plus its smallest day count over the levels. The exact
    countdown is then computed for these rows only (the preview's cost follows its answer's size)."""
    if not rules.auto_return:
        return Q(pk__in=[])
    smallest: dict[str, int | None] = {}
    levels = [days_for_level(rules, "")] + [days_for_level(rules, level) for level in (rules.level_days or {})]
    for name in LEVEL_DAY_FIELDS:
        values = [d[name] for d in levels if d[name]]
        smallest[name] = min(values) if values else None
    q = Q(pk__in=[])
    if smallest["no_follow_up_days"]:
        cut = until - smallest["no_follow_up_days"] * DAY
        q |= Q(claimed_at__lte=cut) & (Q(last_followed_at__isnull=True) | Q(last_followed_at__lte=cut))
    if smallest["no_deal_days"]:
        cut = until - smallest["no_deal_days"] * DAY
        q |= Q(claimed_at__lte=cut) & (Q(last_deal_at__isnull=True) | Q(last_deal_at__lte=cut))
    if smallest["after_contract_days"]:
        cut = until - smallest["after_contract_days"] * DAY
        q |= Q(claimed_at__lte=cut, contract_ended_at__lte=cut)
    return q


def _rules_from(current: PoolRules, changes: dict) -> PoolRules:
    """An unsaved copy of ``current`` with ``changes`` applied (for the preview)."""
    copy = PoolRules(**{f.attname: getattr(current, f.attname) for f in PoolRules._meta.concrete_fields})
    for name, value in changes.items():
        if name == "return_to":
            copy.return_to_id = value.pk if isinstance(value, Pool) else value
        elif name in RULE_FIELDS:
            setattr(copy, name, value)
    return copy


# ---------------------------------------------------------------- pools, members, rules


def _validate_rules(changes: dict, pool: Pool) -> dict:
    errors: dict[str, list[str]] = {}
    levels = changes.get("level_days")
    if levels is not None:
        if not isinstance(levels, dict):
            errors["level_days"] = [_("Give day counts per customer level.")]
        else:
            for days in levels.values():
                if not isinstance(days, dict) or any(
                    k not in LEVEL_DAY_FIELDS or (v is not None and (not isinstance(v, int) or v < 0))
                    for k, v in days.items()
                ):
                    errors["level_days"] = [_("Day counts are whole numbers of days, 0 or more.")]
                    break
    target = changes.get("return_to")
    if target is not None and getattr(target, "pk", target) == pool.pk:
        changes["return_to"] = None
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return changes


@transaction.atomic
def pool_rules_update(*, actor: User, pool: Pool, version: int | None, changes: dict) -> PoolRules:
    """Save a pool's rules and recompute the countdown of its claimed customers (after commit, in a
    background task when there are many)."""
    require(actor, Permission.MANAGE)
    rules = PoolRules.objects.get_or_create(pool=pool)[0]
    changes = _validate_rules({k: v for k, v in changes.items() if k in RULE_FIELDS}, pool)
    rules = versioned_update(rules, version=version, changes=changes)
    _refresh_after_commit(pool.pk)
    return rules


SYNC_REFRESH_LIMIT = 20_000


def _refresh_after_commit(pool_id: int) -> None:
    """Small pools are recomputed at once; big ones by a background task after commit (the job
    rechecks every candidate against the current rules meanwhile, so none goes back early)."""
    from shoal.customers.models import Customer
    from shoal.pools.tasks import pool_countdown_refresh

    book = RulesBook()
    qs = Customer.objects.filter(owner_id__isnull=False)
    qs = qs.filter(pool_id__isnull=True) if pool_id == book.default_id else qs.filter(pool_id=pool_id)
    if qs.order_by()[: SYNC_REFRESH_LIMIT + 1].count() <= SYNC_REFRESH_LIMIT:
        countdown_refresh(pool_id=pool_id, book=book)
    else:
        transaction.on_commit(lambda: pool_countdown_refresh(pool_id))


def _members(users: list[int] | None, departments: list[int] | None) -> tuple[list[User], list[Department]]:
    user_rows = list(User.objects.filter(pk__in=users or [], is_active=True))
    dept_rows = list(Department.objects.filter(pk__in=departments or []))
    errors = {}
    if users is not None and len(user_rows) != len(set(users)):
        errors["member_users"] = [_("Choose active employees.")]
    if departments is not None and len(dept_rows) != len(set(departments)):
        errors["member_departments"] = [_("Unknown department.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return user_rows, dept_rows


@transaction.atomic
def pool_create(*, actor: User, data: dict) -> Pool:
    require(actor, Permission.MANAGE)
    name = (data.get("name") or "").strip()
    if not name:
        raise InvalidInput(fields={"name": [_("This field may not be blank.")]})
    if Pool.objects.filter(name=name).exists():
        raise InvalidInput(fields={"name": [_("A pool with this name already exists.")]})
    default_pool()
    pool = Pool.objects.create(
        name=name, description=data.get("description") or "", position=data.get("position") or 0, created_by=actor
    )
    PoolRules.objects.create(pool=pool)
    _set_members(pool, data)
    return pool


def _set_members(pool: Pool, data: dict) -> None:
    if "administrators" in data:
        admins, _d = _members(data["administrators"], None)
        pool.administrators.set(admins)
    if "member_users" in data or "member_departments" in data:
        users, departments = _members(data.get("member_users"), data.get("member_departments"))
        if "member_users" in data:
            pool.member_users.set(users)
        if "member_departments" in data:
            pool.member_departments.set(departments)


@transaction.atomic
def pool_update(*, actor: User, pool: Pool, version: int | None, data: dict) -> Pool:
    require(actor, Permission.MANAGE)
    changes = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            raise InvalidInput(fields={"name": [_("This field may not be blank.")]})
        if Pool.objects.filter(name=name).exclude(pk=pool.pk).exists():
            raise InvalidInput(fields={"name": [_("A pool with this name already exists.")]})
        changes["name"] = name
    for key in ("description", "position"):
        if key in data:
            changes[key] = data[key]
    pool = versioned_update(pool, version=version, changes=changes)
    _set_members(pool, data)
    return pool


@transaction.atomic
def pool_delete(*, actor: User, pool: Pool) -> None:
    """Only an empty, non-default pool may be deleted."""
    from shoal.customers.models import Customer

    require(actor, Permission.MANAGE)
    if pool.is_default:
        raise Conflict(_("The default pool cannot be deleted."), code="default_pool")
    if Customer.objects.filter(pool_id=pool.pk).exists():
        raise Conflict(_("Move this pool's customers to another pool first."), code="pool_not_empty")
    PoolRules.objects.filter(return_to=pool).update(return_to=None)
    pool.delete()


def customer_move(*, actor: User, ids: list[int], to: Pool, reason: str = "") -> BatchResult:
    """Move customers (claimed or not) to another pool, in batch; their countdown follows the new
    pool's rules."""
    from shoal.customers.models import Customer, CustomerEvent, EventAction

    require(actor, Permission.MANAGE)
    book = RulesBook()
    target = None if to.pk == book.default_id else to.pk
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                row = Customer.objects.filter(pk=pk, deleted_at__isnull=True).values("id", "pool_id").first()
                if row is None:
                    raise NotFound()
                before = book.pool_id(row["pool_id"])
                if before != to.pk:
                    Customer.objects.filter(pk=pk).update(pool_id=target, version=F("version") + 1)
                    CustomerEvent.objects.create(
                        customer_id=pk,
                        actor=actor,
                        action=EventAction.EDIT,
                        reason=reason,
                        changes={"pool": [before, to.pk]},
                    )
                    countdown_refresh([pk], book=book)
        except ShoalError as error:
            result.fail(pk, error)
        else:
            result.ok(pk)
    return result


def require_pool_admin(actor: User) -> None:
    if not actor.has_permission(Permission.MANAGE):
        raise Forbidden()
