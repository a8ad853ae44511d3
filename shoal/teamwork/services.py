"""Every write of help requests (ACT-7), work logs and sign-ins (ORG-6). One transaction each;
notifications go out after commit."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ShoalError
from shoal.core.versioning import versioned_update
from shoal.customers.selectors import customer_get
from shoal.org.models import User
from shoal.org.selectors import user_subordinate_ids, user_superior_names
from shoal.teamwork import notify
from shoal.teamwork.models import DayType, HelpMessage, HelpRequest, HelpStatus, SignIn, WorkLog, WorkLogComment

# ---------------------------------------------------------------- help requests (ACT-7)


def _superior_chain(user: User) -> list[int]:
    superiors = user_superior_names()["map"]
    chain: list[int] = []
    current = superiors.get(user.pk)
    while current is not None and current not in chain and current != user.pk:
        chain.append(current)
        current = superiors.get(current)
    return chain


def _after_commit(*args, **kwargs) -> None:
    transaction.on_commit(lambda: notify.send(*args, **kwargs))


@transaction.atomic
def help_request_create(
    *,
    actor: User,
    subject: str,
    body: str,
    customer_id: int | None = None,
    deal: str = "",
    superior_id: int | None = None,
) -> HelpRequest:
    """Ask the direct superior (or, by choice, anyone above in the chain)."""
    chain = _superior_chain(actor)
    if not chain:
        raise InvalidInput(fields={"superior": [_("You have no superior to ask.")]})
    superior = superior_id or chain[0]
    if superior not in chain:
        raise InvalidInput(fields={"superior": [_("Ask your superior or someone above them.")]})
    customer = customer_get(user=actor, pk=customer_id) if customer_id else None
    if not subject.strip() or not body.strip():
        raise InvalidInput(fields={"subject" if not subject.strip() else "body": [_("This field may not be blank.")]})
    request = HelpRequest.objects.create(
        requester=actor,
        superior_id=superior,
        customer=customer,
        deal=deal,
        subject=subject.strip(),
        body=body,
        created_by=actor,
    )
    _after_commit(
        [superior],
        "help_request",
        _("%(name)s asks for help: %(subject)s") % {"name": actor.display_name, "subject": request.subject},
        body=body[:200],
        link=f"/calls/help?open={request.pk}",
        dedupe_key=f"help-request-{request.pk}",
    )
    return request


def _may_take_part(actor: User, request: HelpRequest) -> bool:
    return actor.pk in (request.requester_id, request.superior_id) or request.requester_id in user_subordinate_ids(
        actor
    )


@transaction.atomic
def help_message_add(*, actor: User, request: HelpRequest, body: str) -> HelpMessage:
    """A reply in the thread: from above it answers the request; from the rep it reopens it."""
    if not _may_take_part(actor, request):
        raise NotFound()
    if not body.strip():
        raise InvalidInput(fields={"body": [_("This field may not be blank.")]})
    new_status = HelpStatus.OPEN if actor.pk == request.requester_id else HelpStatus.ANSWERED
    moved = (
        HelpRequest.objects.filter(pk=request.pk)
        .exclude(status=HelpStatus.CLOSED)
        .update(status=new_status, updated_at=timezone.now())
    )
    if not moved:
        raise Conflict(_("This help request is closed."), code="help_request_closed")
    message = HelpMessage.objects.create(request=request, author=actor, body=body)
    other = request.superior_id if actor.pk == request.requester_id else request.requester_id
    _after_commit(
        [other],
        "help_reply",
        _("%(name)s replied: %(subject)s") % {"name": actor.display_name, "subject": request.subject},
        body=body[:200],
        link=f"/calls/help?open={request.pk}",
        dedupe_key=f"help-message-{message.pk}",
    )
    return message


def help_request_close(*, actor: User, ids: list[int]) -> BatchResult:
    from shoal.teamwork.selectors import help_request_visible

    result = BatchResult()
    visible = help_request_visible(user=actor)
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                request = visible.filter(pk=pk).first()
                if request is None:
                    raise NotFound()
                done = (
                    HelpRequest.objects.filter(pk=pk)
                    .exclude(status=HelpStatus.CLOSED)
                    .update(status=HelpStatus.CLOSED, closed_at=timezone.now(), updated_at=timezone.now())
                )
                if not done:
                    raise Conflict(_("This help request is closed."), code="help_request_closed")
        except ShoalError as error:
            result.fail(pk, error)
        else:
            result.ok(pk)
    return result


# ---------------------------------------------------------------- work logs (ORG-6)


def _clean_log(data: dict) -> dict:
    values = {k: v for k, v in data.items() if k in {"day_type", "content", "plan"}}
    if "day_type" in values and values["day_type"] not in DayType.values:
        raise InvalidInput(fields={"day_type": [_("Unknown kind of day.")]})
    return values


@transaction.atomic
def work_log_create(*, actor: User, data: dict, day: date | None = None) -> WorkLog:
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidInput(fields={"day": [_("A work log cannot be written for a day still to come.")]})
    values = _clean_log(data)
    if values.get("day_type", DayType.WORK) == DayType.WORK and not (values.get("content") or "").strip():
        raise InvalidInput(fields={"content": [_("Write what you did today.")]})
    try:
        with transaction.atomic():
            return WorkLog.objects.create(user=actor, day=day, created_by=actor, **values)
    except IntegrityError:
        raise Conflict(
            _("You have already written the log of this day; edit it instead."), code="work_log_exists"
        ) from None


@transaction.atomic
def work_log_update(*, actor: User, log: WorkLog, version: int | None, data: dict) -> WorkLog:
    if log.user_id != actor.pk:
        raise Forbidden(_("Only the writer edits a work log; comment on it instead."), code="not_author")
    return versioned_update(log, version=version, changes=_clean_log(data))


@transaction.atomic
def work_log_comment_add(*, actor: User, log: WorkLog, body: str) -> WorkLogComment:
    if not body.strip():
        raise InvalidInput(fields={"body": [_("This field may not be blank.")]})
    comment = WorkLogComment.objects.create(log=log, author=actor, body=body)
    if log.user_id != actor.pk:
        _after_commit(
            [log.user_id],
            "work_log_comment",
            _("%(name)s commented on your work log of %(day)s") % {"name": actor.display_name, "day": log.day},
            body=body[:200],
            link="/teamwork/logs",
            dedupe_key=f"work-log-comment-{comment.pk}",
        )
    return comment


def sign_in_record(sender=None, request=None, user=None, at: datetime | None = None, **kwargs) -> SignIn | None:
    """ORG-6: receiver of ``user_logged_in``; a sign-in is recorded for the attendance statistics."""
    if user is None or not getattr(user, "pk", None):
        return None
    at = at or timezone.now()
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return SignIn.objects.create(user_id=user.pk, at=at, day=timezone.localdate(at), ip=ip or None)
