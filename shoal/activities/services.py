"""Every write of the activities domain (ACT-1, ACT-2, ACT-3, ACT-5, ORG-7). Each service is one
transaction; races are settled by conditional UPDATEs; notifications go out after commit."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.activities import notify, selectors
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
from shoal.core.errors import Conflict, Forbidden, InvalidInput
from shoal.core.permissions import require
from shoal.core.versioning import versioned_update
from shoal.customers.models import Contact, Customer, IntentLevel
from shoal.org.models import User

INTERACTION_FIELDS = ("contact", "channel", "occurred_at", "content", "needs", "quoted_price", "concerns", "next_step")
PLAN_FIELDS = ("contact", "channel", "planned_at", "purpose", "remind_minutes")
SCHEDULE_FIELDS = ("title", "description", "weight", "start_at", "end_at", "customer")
VISIT_FIELDS = ("visited_at", "place", "purpose", "outcome", "intent_level_after", "next_step")

# A record may be logged a little ahead of the server's clock (phones drift), not in the future.
CLOCK_SKEW = timedelta(minutes=5)
REMINDER_BATCH = 500


# ---------------------------------------------------------------- helpers


def _require_log(actor: User, customer: Customer) -> None:
    if not selectors.may_log_activity(user=actor, customer=customer):
        raise Forbidden(_("This customer is shared with you read-only."), code="read_only")


def _check_contact(customer: Customer, contact: Contact | None) -> None:
    if contact is not None and contact.customer_id != customer.pk:
        raise InvalidInput(fields={"contact": [_("This contact does not belong to the customer.")]})


def _not_in_future(field: str, at: datetime | None, now: datetime) -> None:
    if at is not None and at > now + CLOCK_SKEW:
        raise InvalidInput(fields={field: [_("This time lies in the future.")]})


def _clean_interaction(customer: Customer, values: dict, now: datetime) -> dict:
    values = {k: v for k, v in values.items() if k in INTERACTION_FIELDS}
    if "content" in values:
        values["content"] = (values["content"] or "").strip()
        if not values["content"]:
            raise InvalidInput(fields={"content": [_("Say what was discussed.")]})
    if values.get("channel") is not None and values["channel"] not in Channel.values:
        raise InvalidInput(fields={"channel": [_("Choose a channel from the list.")]})
    price = values.get("quoted_price")
    if price is not None and Decimal(price) < 0:
        raise InvalidInput(fields={"quoted_price": [_("A price cannot be negative.")]})
    _not_in_future("occurred_at", values.get("occurred_at"), now)
    if "contact" in values:
        _check_contact(customer, values["contact"])
        values["contact_name"] = values["contact"].name if values["contact"] else ""
    return values


def _follow_up(actor: User, customer: Customer, at: datetime) -> None:
    """CUS-9: keep the customer's last follow-up current. A back-dated record older than the last
    follow-up leaves it alone (the customer was followed up more recently than that)."""
    from shoal.customers.services import customer_follow_up_record

    last = Customer.objects.filter(pk=customer.pk).values_list("last_followed_at", flat=True).first()
    if last is None or at >= last:
        customer.refresh_from_db(fields=["last_followed_at", "last_followed_by", "follow_run_started_at"])
        customer_follow_up_record(actor=actor, customer=customer, at=at)


# ---------------------------------------------------------------- interactions (ACT-1)


@transaction.atomic
def interaction_create(*, actor: User, customer: Customer, data: dict, _plan: ContactPlan | None = None) -> Interaction:
    """ACT-1 交往记录 on a visible customer; keeps the customer's last follow-up time (CUS-9)."""
    require(actor, Permission.INTERACTION)
    _require_log(actor, customer)
    now = timezone.now()
    values = _clean_interaction(customer, {"occurred_at": now, "contact": None, **data}, now)
    if not values.get("content"):
        raise InvalidInput(fields={"content": [_("Say what was discussed.")]})
    if not values.get("channel"):
        raise InvalidInput(fields={"channel": [_("Choose a channel from the list.")]})
    interaction = Interaction.objects.create(
        customer=customer, user=actor, department_id=actor.department_id, created_by=actor, **values
    )
    _follow_up(actor, customer, interaction.occurred_at)
    return interaction


@transaction.atomic
def interaction_update(*, actor: User, interaction: Interaction, version: int | None, data: dict) -> Interaction:
    """Only the person who logged it corrects it; the version settles concurrent edits."""
    require(actor, Permission.INTERACTION)
    if interaction.user_id != actor.pk:
        raise Forbidden(_("Only the person who logged this record may change it."), code="not_author")
    values = _clean_interaction(interaction.customer, data, timezone.now())
    return versioned_update(interaction, version=version, changes=values)


# ---------------------------------------------------------------- contact plans (ACT-2)


def _remind_at(planned_at: datetime, minutes: int | None) -> datetime | None:
    return None if minutes is None else planned_at - timedelta(minutes=minutes)


@transaction.atomic
def contact_plan_create(*, actor: User, customer: Customer, data: dict) -> ContactPlan:
    require(actor, Permission.PLAN)
    _require_log(actor, customer)
    values = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    values["purpose"] = (values.get("purpose") or "").strip()
    if not values["purpose"]:
        raise InvalidInput(fields={"purpose": [_("Say what the contact is for.")]})
    _check_contact(customer, values.get("contact"))
    values["remind_at"] = _remind_at(values["planned_at"], values.get("remind_minutes"))
    return ContactPlan.objects.create(user=actor, customer=customer, created_by=actor, **values)


def _require_plan_owner(actor: User, plan: ContactPlan) -> None:
    require(actor, Permission.PLAN)
    if plan.user_id != actor.pk:
        raise Forbidden(_("Only the person who made this plan may change it."), code="not_plan_owner")


@transaction.atomic
def contact_plan_update(*, actor: User, plan: ContactPlan, version: int | None, data: dict) -> ContactPlan:
    _require_plan_owner(actor, plan)
    if plan.status != PlanStatus.OPEN:
        raise Conflict(_("This plan is already closed."), code="plan_closed")
    values = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    if "purpose" in values:
        values["purpose"] = (values["purpose"] or "").strip()
        if not values["purpose"]:
            raise InvalidInput(fields={"purpose": [_("Say what the contact is for.")]})
    if "contact" in values:
        _check_contact(plan.customer, values["contact"])
    if values.keys() & {"planned_at", "remind_minutes"}:
        planned = values.get("planned_at", plan.planned_at)
        minutes = values.get("remind_minutes", plan.remind_minutes)
        values["remind_at"] = _remind_at(planned, minutes)
        values["reminded_at"] = None  # a moved plan reminds again at its new time
    return versioned_update(plan, version=version, changes=values)


def _close_plan(plan: ContactPlan, status: str, interaction: Interaction | None, now: datetime) -> None:
    """The conditional UPDATE decides a double click or two tabs: only one closes the plan."""
    closed = ContactPlan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
        status=status, done_at=now, interaction=interaction, version=plan.version + 1, updated_at=now
    )
    if not closed:
        raise Conflict(_("This plan is already closed."), code="plan_closed")


@transaction.atomic
def contact_plan_complete(*, actor: User, plan: ContactPlan, data: dict) -> Interaction:
    """ACT-2: a done plan becomes an interaction (the form comes prefilled from the plan)."""
    _require_plan_owner(actor, plan)
    values = {"channel": plan.channel, "contact": plan.contact, **data}
    interaction = interaction_create(actor=actor, customer=plan.customer, data=values)
    _close_plan(plan, PlanStatus.DONE, interaction, timezone.now())
    return interaction


@transaction.atomic
def contact_plan_cancel(*, actor: User, plan: ContactPlan) -> ContactPlan:
    _require_plan_owner(actor, plan)
    _close_plan(plan, PlanStatus.CANCELLED, None, timezone.now())
    plan.refresh_from_db()
    return plan


def contact_plan_remind_due(*, now: datetime, batch: int = REMINDER_BATCH) -> int:
    """ACT-2 reminders (the Huey job's body): every open plan whose reminder time has come gets one
    notification to its owner. Each plan is claimed by a conditional UPDATE and notified with a
    dedupe key in the same transaction, so overlapping or repeated runs never send twice. Returns
    how many reminders were sent; at most ``batch`` per run (the next run takes the rest)."""
    if not notify.available():
        return 0
    due = list(
        ContactPlan.objects.filter(
            status=PlanStatus.OPEN, reminded_at__isnull=True, remind_at__isnull=False, remind_at__lte=now
        )
        .select_related("customer")
        .order_by("remind_at", "id")[:batch]
    )
    sent = 0
    for plan in due:
        with transaction.atomic():
            claimed = ContactPlan.objects.filter(pk=plan.pk, reminded_at__isnull=True, status=PlanStatus.OPEN).update(
                reminded_at=now
            )
            if not claimed:
                continue
            local = timezone.localtime(plan.planned_at)
            notify.send(
                [plan.user_id],
                "contact_plan_reminder",
                _("Contact plan: %(customer)s at %(time)s")
                % {"customer": plan.customer.name, "time": f"{local:%H:%M}"},
                body=plan.purpose,
                link=f"/activities/plans?plan={plan.pk}",
                dedupe_key=f"contact-plan:{plan.pk}:{plan.remind_at.isoformat()}",
            )
            sent += 1
    return sent


# ---------------------------------------------------------------- schedule (ACT-3, ORG-7)


def _clean_schedule(actor: User, values: dict, item: ScheduleItem | None = None) -> dict:
    values = {k: v for k, v in values.items() if k in SCHEDULE_FIELDS}
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise InvalidInput(fields={"title": [_("Give the item a title.")]})
    if "weight" in values and values["weight"] not in Weight.values:
        raise InvalidInput(fields={"weight": [_("Choose an importance from the list.")]})
    start = values.get("start_at", item.start_at if item else None)
    end = values.get("end_at", item.end_at if item else None) or start
    if "end_at" in values or item is None:
        values["end_at"] = end
    if start is not None and end is not None and end < start:
        raise InvalidInput(fields={"end_at": [_("The end lies before the start.")]})
    customer = values.get("customer")
    if customer is not None:
        from shoal.customers.selectors import customer_visible

        if not customer_visible(user=actor).filter(pk=customer.pk).exists():
            raise InvalidInput(fields={"customer": [_("Not found.")]})
    return values


@transaction.atomic
def schedule_create(*, actor: User, data: dict) -> ScheduleItem:
    require(actor, Permission.SCHEDULE)
    values = _clean_schedule(actor, data)
    return ScheduleItem.objects.create(user=actor, created_by=actor, **values)


def _require_schedule_owner(actor: User, item: ScheduleItem) -> None:
    require(actor, Permission.SCHEDULE)
    if item.user_id != actor.pk:
        raise Forbidden(_("Only the owner of this schedule item may change it."), code="not_schedule_owner")


@transaction.atomic
def schedule_update(*, actor: User, item: ScheduleItem, version: int | None, data: dict) -> ScheduleItem:
    """Edit an item, or tick it done / not done (``done`` in ``data``)."""
    _require_schedule_owner(actor, item)
    values = _clean_schedule(actor, data, item)
    if "done" in data and bool(data["done"]) != item.done:
        values["done"] = bool(data["done"])
        values["done_at"] = timezone.now() if values["done"] else None
    return versioned_update(item, version=version, changes=values)


@transaction.atomic
def schedule_comment(*, actor: User, item: ScheduleItem, kind: str, body: str = "") -> ScheduleComment:
    """ORG-7: superiors comment, approve (批复) and remind; the owner may answer with a comment."""
    require(actor, Permission.SCHEDULE)
    body = (body or "").strip()
    superior = selectors.is_superior_of(actor, item.user_id)
    if kind not in CommentKind.values:
        raise InvalidInput(fields={"kind": [_("Choose comment, approval or reminder.")]})
    if kind == CommentKind.COMMENT:
        if not (superior or item.user_id == actor.pk):
            raise Forbidden()
        if not body:
            raise InvalidInput(fields={"body": [_("Write the comment.")]})
    else:
        require(actor, Permission.REVIEW)
        if not superior:
            raise Forbidden(_("Only a superior of the owner may do this."), code="not_superior")
    now = timezone.now()
    if kind == CommentKind.APPROVAL:
        approved = ScheduleItem.objects.filter(pk=item.pk, approved_at__isnull=True).update(
            approved_at=now, approved_by=actor, version=item.version + 1, updated_at=now
        )
        if not approved:
            raise Conflict(_("This item is already approved."), code="already_approved")
    comment = ScheduleComment.objects.create(item=item, author=actor, kind=kind, body=body, created_by=actor)
    if kind != CommentKind.COMMENT or item.user_id != actor.pk:
        titles = {
            CommentKind.COMMENT: _("%(name)s commented on your schedule item: %(title)s"),
            CommentKind.APPROVAL: _("%(name)s approved your schedule item: %(title)s"),
            CommentKind.REMINDER: _("Reminder from %(name)s: %(title)s"),
        }
        recipient = item.user_id if item.user_id != actor.pk else None
        if recipient is not None:
            title = titles[kind] % {"name": actor.display_name, "title": item.title}
            transaction.on_commit(
                lambda: notify.send(
                    [recipient],
                    f"schedule_{kind}",
                    title,
                    body=body,
                    link=f"/activities/schedule?item={item.pk}",
                    dedupe_key=f"schedule-comment:{comment.pk}",
                )
            )
    return comment


# ---------------------------------------------------------------- visits (ACT-5)


@transaction.atomic
def visit_create(
    *,
    actor: User,
    customer: Customer,
    data: dict,
    contacts: list[Contact] | None = None,
    companions: list[User] | None = None,
    plan: ContactPlan | None = None,
) -> Visit:
    """ACT-5 出访记录: also an interaction (channel visit, CUS-9 follow-up); the intent level after
    the visit updates the customer (CUS-8); from a plan, the plan is done with it."""
    require(actor, Permission.VISIT)
    _require_log(actor, customer)
    values = {k: v for k, v in data.items() if k in VISIT_FIELDS}
    values["outcome"] = (values.get("outcome") or "").strip()
    if not values["outcome"]:
        raise InvalidInput(fields={"outcome": [_("Say how the visit went.")]})
    level = values.get("intent_level_after")
    if level is not None and level not in IntentLevel.values:
        raise InvalidInput(fields={"intent_level_after": [_("Choose an intent level from the list.")]})
    contacts = contacts or []
    for contact in contacts:
        if contact.customer_id != customer.pk:
            raise InvalidInput(fields={"contacts": [_("This contact does not belong to the customer.")]})
    now = timezone.now()
    visited_at = values.get("visited_at") or now
    _not_in_future("visited_at", visited_at, now)
    values["visited_at"] = visited_at
    if plan is not None:
        if plan.customer_id != customer.pk:
            raise InvalidInput(fields={"plan": [_("This plan is for another customer.")]})
        _require_plan_owner(actor, plan)
    names = "、".join(c.name for c in contacts)
    interaction = interaction_create(
        actor=actor,
        customer=customer,
        data={
            "channel": Channel.VISIT,
            "occurred_at": visited_at,
            "contact": contacts[0] if contacts else None,
            "content": values["outcome"] if not values.get("purpose") else f"{values['purpose']}\n{values['outcome']}",
            "next_step": values.get("next_step", ""),
        },
    )
    if names and len(contacts) > 1:
        Interaction.objects.filter(pk=interaction.pk).update(contact_name=names[:50])
    visit = Visit.objects.create(
        user=actor, customer=customer, plan=plan, interaction=interaction, created_by=actor, **values
    )
    visit.contacts.set(contacts)
    visit.companions.set([u for u in companions or [] if u.pk != actor.pk])
    if plan is not None:
        _close_plan(plan, PlanStatus.DONE, interaction, now)
    if level is not None and level != customer.intent_level:
        from shoal.customers.services import customer_update

        customer.refresh_from_db()
        customer_update(actor=actor, customer=customer, version=None, data={"intent_level": level}, reason=_("Visit"))
    return visit


# ---------------------------------------------------------------- merges (CUS-6)


def activities_merge(source: Customer, target: Customer, actor: User) -> None:
    """Registered in customers.services.MERGE_HOOKS: the survivor keeps every activity."""
    for model in (Interaction, ContactPlan, Visit):
        model.objects.filter(customer=source).update(customer=target)
    ScheduleItem.objects.filter(customer=source).update(customer=target)
