"""Every write of the call domain (ACT-4, ACT-6, seed 003 §1 and §6). One transaction each; races
settled by the database (partial unique constraints, conditional UPDATEs, a lock on the rep)."""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.calls import selectors
from shoal.calls.defaults import AWARENESS_KIND, NEEDS_KIND
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
from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ShoalError
from shoal.core.permissions import require
from shoal.core.versioning import versioned_update
from shoal.customers import services as customer_services
from shoal.customers.models import Customer, IntentLevel
from shoal.customers.permissions import Permission as CustomerPermission
from shoal.customers.selectors import classification_of, customer_access
from shoal.org.models import User
from shoal.system.models import DictionaryItem

FIRST_THREE = ("development_outlook", "target_customers", "competition")


def _codes(kind: str) -> set[str]:
    return set(DictionaryItem.objects.filter(kind=kind, is_active=True).values_list("code", flat=True))


def _batch(ids: Iterable[int], one) -> BatchResult:
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


# ---------------------------------------------------------------- call annotations (ACT-4)


def annotation_rules(data: dict) -> dict[str, list[str]]:
    """Seed 003 §1.1.2: the first three annotations and the promotion-needs category go together,
    and so do the network-awareness annotation and its category. Returns field errors (none: valid)."""
    errors: dict[str, list[str]] = {}
    written = [f for f in FIRST_THREE if (data.get(f) or "").strip()]
    if written and not data.get("needs_category"):
        errors["needs_category"] = [
            _("Choose the promotion-needs category: the first three annotations need it before submitting.")
        ]
    if data.get("needs_category"):
        for field in FIRST_THREE:
            if field not in written:
                errors[field] = [_("With a promotion-needs category, complete the first three annotations.")]
    awareness_text = (data.get("network_awareness") or "").strip()
    if awareness_text and not data.get("awareness_category"):
        errors["awareness_category"] = [
            _("Choose the network-awareness category: the network-awareness annotation needs it.")
        ]
    if data.get("awareness_category") and not awareness_text:
        errors["network_awareness"] = [_("With a network-awareness category, write the network-awareness annotation.")]
    return errors


def _validate_annotation(data: dict) -> dict:
    errors = annotation_rules(data)
    if data.get("needs_category") and data["needs_category"] not in _codes(NEEDS_KIND):
        errors.setdefault("needs_category", []).append(_("Unknown promotion-needs category."))
    if data.get("awareness_category") and data["awareness_category"] not in _codes(AWARENESS_KIND):
        errors.setdefault("awareness_category", []).append(_("Unknown network-awareness category."))
    if data.get("source") and data["source"] not in _codes("customer_source"):
        errors.setdefault("source", []).append(_("Unknown data source."))
    level = data.get("intent_level")
    if level is not None and level not in IntentLevel.values:
        errors.setdefault("intent_level", []).append(_("Choose an intent level from -1 to 4."))
    anything = any((data.get(f) or "").strip() for f in (*FIRST_THREE, "network_awareness"))
    if not anything and level is None and not errors:
        errors["non_field_errors"] = [_("Write at least one annotation or choose an intent level.")]
    step = data.get("next_step") or NextStep.NONE
    if step not in NextStep.values:
        errors.setdefault("next_step", []).append(_("Unknown next step."))
    if data.get("remind") and not data.get("next_follow_up_at"):
        errors.setdefault("next_follow_up_at", []).append(_("Choose when to be reminded."))
    if data.get("remind") and step == NextStep.NONE:
        errors.setdefault("next_step", []).append(_("Choose the next follow-up to be reminded of."))
    if errors:
        # The first rule broken is the message a client shows in one line.
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return data


def _may_edit(actor: User, customer: Customer) -> bool:
    return actor.has_permission(CustomerPermission.EDIT) and customer_access(user=actor, customer=customer) in {
        "owner",
        "write",
    }


@transaction.atomic
def annotation_create(*, actor: User, customer_id: int, data: dict, now: datetime | None = None) -> CallAnnotation:
    """ACT-4 save one call: the annotation, the follow-up on the customer (CUS-9), its intent level
    and data source when the caller may edit the customer, and the lease of the day marked called."""
    require(actor, Permission.CALL)
    now = now or timezone.now()
    customer, _via_lease = selectors.call_customer_get(user=actor, pk=customer_id)
    values = _validate_annotation(dict(data))
    text = {f: (values.get(f) or "").strip() for f in (*FIRST_THREE, "network_awareness")}
    annotation = CallAnnotation(
        customer=customer,
        author=actor,
        created_by=actor,
        needs_category=values.get("needs_category") or "",
        awareness_category=values.get("awareness_category") or "",
        intent_level=values.get("intent_level"),
        source=values.get("source") or customer.source,
        next_step=values.get("next_step") or NextStep.NONE,
        next_follow_up_at=values.get("next_follow_up_at"),
        remind=bool(values.get("remind")),
        **text,
    )
    changes = {}
    if annotation.intent_level is not None and annotation.intent_level != customer.intent_level:
        changes["intent_level"] = annotation.intent_level
    if values.get("source") and values["source"] != customer.source:
        changes["source"] = values["source"]
    if changes and _may_edit(actor, customer):
        customer_services.customer_update(
            actor=actor, customer=customer, version=None, data=changes, reason=_("Phone follow-up annotation")
        )
        annotation.intent_level_applied = "intent_level" in changes
    customer_services.customer_follow_up_record(actor=actor, customer=customer, at=now)
    customer.refresh_from_db(fields=["follow_run_started_at", "last_followed_at", "last_followed_by"])
    annotation.classification = classification_of(customer, now)
    annotation.save()
    PhoneLease.objects.filter(
        user_id=actor.pk, customer_id=customer.pk, day=timezone.localdate(now), status=LeaseStatus.ACTIVE
    ).update(status=LeaseStatus.CALLED, ended_at=now)
    return annotation


def annotation_remind_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """ACT-4 跟进提醒: hand due reminders to the notification centre, each once (dedupe key and the
    conditional stamp make a retry harmless). Returns how many were handed over."""
    from shoal.calls import notify

    now = now or timezone.now()
    due = list(
        CallAnnotation.objects.filter(remind=True, reminded_at__isnull=True, next_follow_up_at__lte=now)
        .select_related("customer")
        .order_by("next_follow_up_at", "id")[:batch]
    )
    sent = 0
    for annotation in due:
        step = NextStep(annotation.next_step).label
        delivered = notify.send(
            [annotation.author_id],
            "call_follow_up",
            _("Follow up %(customer)s: %(step)s") % {"customer": annotation.customer.name, "step": step},
            body=annotation.development_outlook[:200] or annotation.network_awareness[:200],
            link=f"/calls/customer/{annotation.customer_id}",
            dedupe_key=f"call-annotation-{annotation.pk}",
        )
        if not delivered:
            break
        sent += CallAnnotation.objects.filter(pk=annotation.pk, reminded_at__isnull=True).update(reminded_at=now)
    return sent


# ---------------------------------------------------------------- talk scripts


_SCRIPT_FIELDS = {"kind", "category", "title", "content", "position", "is_active"}


def _validate_script(values: dict) -> dict:
    kind = values.get("kind")
    if kind is not None and kind not in ScriptKind.values:
        raise InvalidInput(fields={"kind": [_("Unknown kind of script.")]})
    category = values.get("category", "")
    if kind == ScriptKind.NEEDS and category not in _codes(NEEDS_KIND):
        raise InvalidInput(fields={"category": [_("Choose a promotion-needs category.")]})
    if kind == ScriptKind.AWARENESS and category not in _codes(AWARENESS_KIND):
        raise InvalidInput(fields={"category": [_("Choose a network-awareness category.")]})
    if kind == ScriptKind.OBJECTION:
        values["category"] = ""
    return values


@transaction.atomic
def talk_script_create(*, actor: User, data: dict) -> TalkScript:
    require(actor, Permission.MANAGE_TALK_SCRIPTS)
    values = _validate_script({k: v for k, v in data.items() if k in _SCRIPT_FIELDS})
    return TalkScript.objects.create(created_by=actor, **values)


@transaction.atomic
def talk_script_update(*, actor: User, script: TalkScript, version: int | None, data: dict) -> TalkScript:
    require(actor, Permission.MANAGE_TALK_SCRIPTS)
    values = {k: v for k, v in data.items() if k in _SCRIPT_FIELDS}
    merged = {"kind": script.kind, "category": script.category, **values}
    merged = _validate_script(merged)
    values["category"] = merged["category"]
    return versioned_update(script, version=version, changes=values)


@transaction.atomic
def talk_script_delete(*, actor: User, script: TalkScript) -> None:
    require(actor, Permission.MANAGE_TALK_SCRIPTS)
    script.delete()


def talk_scripts_seed() -> None:
    """The starter scripts, once (a company with its own scripts keeps them)."""
    from shoal.calls.defaults import TALK_SCRIPTS

    if TalkScript.objects.exists():
        return
    TalkScript.objects.bulk_create(
        TalkScript(kind=kind, category=category, title=title, content=content, position=n)
        for n, (kind, category, title, content) in enumerate(TALK_SCRIPTS)
    )


# ---------------------------------------------------------------- phone leases (seed 003 §6)


class QuotaReached(Conflict):
    code = "call_quota_reached"


def lease_request(*, actor: User, count: int, now: datetime | None = None) -> list[PhoneLease]:
    """电话申领: lend the rep the next ``count`` callable pool numbers for today, within the daily
    quota. Two reps asking at once never get the same number: the partial unique constraint on
    (customer, day) decides, and a rep who lost a number simply takes the next one."""
    require(actor, Permission.CALL)
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        # One request of a rep at a time, so the quota check sees their earlier leases.
        User.objects.select_for_update().filter(pk=actor.pk).values_list("pk").first()
        quota = selectors.daily_quota()
        room = quota - selectors.lease_used(user=actor, day=day)
        if room <= 0:
            raise QuotaReached(
                _("You have used today's quota of %(quota)d numbers; release unused ones or call tomorrow.")
                % {"quota": quota}
            )
        wanted = min(count, room)
        got: list[int] = []
        tried: list[int] = []
        for _round in range(10):
            need = wanted - len(got)
            if need <= 0:
                break
            # PostgreSQL: rows another request is leasing right now are skipped rather than waited
            # for, so simultaneous requests spread over different numbers (SQLite runs them one by one).
            candidates = list(
                selectors.lease_candidates(day=day)
                .select_for_update(skip_locked=True, no_key=True)
                .values_list("pk", flat=True)[:need]
            )
            if not candidates:
                break
            tried += candidates
            PhoneLease.objects.bulk_create(
                [PhoneLease(customer_id=pk, user=actor, day=day) for pk in candidates],
                ignore_conflicts=True,
            )
            got = list(
                PhoneLease.objects.filter(user=actor, day=day, status=LeaseStatus.ACTIVE, customer_id__in=tried)
                .order_by("id")
                .values_list("pk", flat=True)
            )
        if not got:
            raise Conflict(_("No callable numbers are left in the pool today."), code="pool_exhausted")
        return list(PhoneLease.objects.filter(pk__in=got).select_related("customer").order_by("id"))


def lease_release(*, actor: User, ids: list[int], now: datetime | None = None) -> BatchResult:
    """Give unused numbers back to the pool before the day ends."""
    require(actor, Permission.CALL)
    now = now or timezone.now()

    def one(pk: int) -> None:
        lease = PhoneLease.objects.filter(pk=pk, user_id=actor.pk).first()
        if lease is None:
            raise NotFound()
        done = PhoneLease.objects.filter(pk=pk, status=LeaseStatus.ACTIVE).update(
            status=LeaseStatus.RELEASED, ended_at=now
        )
        if not done:
            raise Conflict(_("Only numbers not yet called can be given back."), code="lease_not_active")

    return _batch(ids, one)


def lease_expire(*, now: datetime | None = None, batch: int = 5000) -> int:
    """End of the day: unused leases of earlier days go back (idempotent; bounded batches)."""
    now = now or timezone.now()
    ids = list(
        PhoneLease.objects.filter(status=LeaseStatus.ACTIVE, day__lt=timezone.localdate(now)).values_list(
            "pk", flat=True
        )[:batch]
    )
    return PhoneLease.objects.filter(pk__in=ids, status=LeaseStatus.ACTIVE).update(
        status=LeaseStatus.EXPIRED, ended_at=now
    )


# ---------------------------------------------------------------- invalid numbers (ACT-6)


@transaction.atomic
def invalid_phone_mark(
    *, actor: User, customer_id: int, phone: str, reason: str, note: str = "", now: datetime | None = None
) -> InvalidPhone:
    require(actor, Permission.CALL)
    now = now or timezone.now()
    customer, _via_lease = selectors.call_customer_get(user=actor, pk=customer_id)
    phone = (phone or "").strip()
    if reason not in InvalidReason.values:
        raise InvalidInput(fields={"reason": [_("Choose a reason.")]})
    if phone not in selectors.customer_numbers(customer):
        raise InvalidInput(fields={"phone": [_("This is not one of the customer's numbers.")]})
    if InvalidPhone.objects.filter(customer=customer, phone=phone, status=InvalidStatus.OPEN).exists():
        raise Conflict(_("This number is already reported invalid."), code="already_marked")
    try:
        with transaction.atomic():
            mark = InvalidPhone.objects.create(
                customer=customer, phone=phone, reason=reason, note=note, marked_by=actor, created_by=actor
            )
    except IntegrityError:
        raise Conflict(_("This number is already reported invalid."), code="already_marked") from None
    # The call was made: the lease is used up (and the number stays out of everyone's list).
    PhoneLease.objects.filter(
        user_id=actor.pk, customer_id=customer.pk, day=timezone.localdate(now), status=LeaseStatus.ACTIVE
    ).update(status=LeaseStatus.CALLED, ended_at=now)
    return mark


def invalid_phone_resolve(*, actor: User, ids: list[int], resolution: str = "") -> BatchResult:
    """ACT-6 清理: someone who may edit the customer corrected or removed the number."""
    require(actor, Permission.CALL)
    visible = selectors.invalid_phone_list(user=actor)
    now = timezone.now()

    def one(pk: int) -> None:
        mark = visible.filter(pk=pk).first()
        if mark is None:
            raise NotFound()
        if not _may_edit(actor, mark.customer):
            raise Forbidden(_("Only those who may edit the customer clean up its numbers."), code="read_only")
        done = InvalidPhone.objects.filter(Q(pk=pk), Q(status=InvalidStatus.OPEN)).update(
            status=InvalidStatus.RESOLVED, resolved_by=actor, resolved_at=now, resolution=resolution[:200]
        )
        if not done:
            raise Conflict(_("This number has already been cleaned up."), code="already_resolved")

    return _batch(ids, one)
