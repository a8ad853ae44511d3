"""Every read of help requests, work logs and attendance that depends on who asks. The superior
chain decides: a request is seen by the rep, the superior asked and everyone above the rep; a log
by its writer, everyone above them and managers whose data scope covers them (ORG-2)."""

import calendar
from datetime import date

from django.db.models import Count, Q, QuerySet

from shoal.core.errors import NotFound
from shoal.org.models import User
from shoal.org.permissions import Permission as OrgPermission
from shoal.org.selectors import user_ids_in_scope, user_subordinate_ids
from shoal.teamwork.models import DayType, HelpRequest, SignIn, WorkLog

# ---------------------------------------------------------------- help requests (ACT-7)


def help_request_visible(*, user: User) -> QuerySet[HelpRequest]:
    below = sorted(user_subordinate_ids(user))
    q = Q(requester_id=user.pk) | Q(superior_id=user.pk)
    if below:
        q |= Q(requester_id__in=below)
    return HelpRequest.objects.filter(q)


def help_request_list(*, user: User, filters: dict | None = None) -> QuerySet[HelpRequest]:
    filters = filters or {}
    qs = help_request_visible(user=user)
    box = filters.get("box")
    if box == "mine":
        qs = qs.filter(requester_id=user.pk)
    elif box == "inbox":
        qs = qs.exclude(requester_id=user.pk)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("customer"):
        qs = qs.filter(customer_id=filters["customer"])
    if filters.get("q"):
        qs = qs.filter(Q(subject__icontains=filters["q"]) | Q(body__icontains=filters["q"]))
    return qs.select_related("requester", "superior", "customer").annotate(message_count=Count("messages"))


def help_request_get(*, user: User, pk: int) -> HelpRequest:
    found = help_request_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------- work logs and attendance (ORG-6)


def people_visible(*, user: User) -> set[int] | None:
    """Whose logs and attendance ``user`` reads: self and everyone below; managers (org.view_staff)
    also everyone their data scope covers. None: everyone."""
    people = {user.pk} | user_subordinate_ids(user)
    if user.has_permission(OrgPermission.VIEW_STAFF):
        scope = user_ids_in_scope(user)
        if scope is None:
            return None
        people |= scope
    return people


def work_log_list(*, user: User, filters: dict | None = None) -> QuerySet[WorkLog]:
    filters = filters or {}
    qs = WorkLog.objects.all()
    people = people_visible(user=user)
    if people is not None:
        qs = qs.filter(user_id__in=sorted(people))
    if filters.get("mine"):
        qs = qs.filter(user_id=user.pk)
    if filters.get("user"):
        qs = qs.filter(user_id=filters["user"])
    if filters.get("department"):
        qs = qs.filter(user__department_id=filters["department"])
    if filters.get("day_type"):
        qs = qs.filter(day_type=filters["day_type"])
    if filters.get("day__gte"):
        qs = qs.filter(day__gte=filters["day__gte"])
    if filters.get("day__lte"):
        qs = qs.filter(day__lte=filters["day__lte"])
    return qs.select_related("user", "user__department").annotate(comment_count=Count("comments"))


def work_log_get(*, user: User, pk: int) -> WorkLog:
    found = work_log_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def attendance(*, user: User, year: int, month: int, department: int | None = None) -> list[dict]:
    """ORG-6 考勤统计 per person of the month: days present (signed in or logged a working day),
    on leave and on business trip (from the logs' day type), days signed in, logs written."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    people = User.objects.filter(is_active=True).select_related("department")
    visible = people_visible(user=user)
    if visible is not None:
        people = people.filter(pk__in=sorted(visible))
    if department:
        people = people.filter(department_id=department)
    people = list(people.order_by("department_id", "id")[:2000])
    ids = [p.pk for p in people]
    signed: dict[int, set[date]] = {}
    for uid, day in (
        SignIn.objects.filter(user_id__in=ids, day__gte=first, day__lte=last).values_list("user_id", "day").distinct()
    ):
        signed.setdefault(uid, set()).add(day)
    logs: dict[int, dict[date, str]] = {}
    for uid, day, kind in WorkLog.objects.filter(user_id__in=ids, day__gte=first, day__lte=last).values_list(
        "user_id", "day", "day_type"
    ):
        logs.setdefault(uid, {})[day] = kind
    rows = []
    for person in people:
        mine = logs.get(person.pk, {})
        leave = {d for d, k in mine.items() if k == DayType.LEAVE}
        trip = {d for d, k in mine.items() if k == DayType.BUSINESS_TRIP}
        rest = {d for d, k in mine.items() if k == DayType.REST}
        worked = {d for d, k in mine.items() if k == DayType.WORK}
        present = (signed.get(person.pk, set()) | worked) - leave - trip - rest
        rows.append(
            {
                "user": person.pk,
                "user_name": person.display_name,
                "department_name": person.department.name if person.department else "",
                "days_present": len(present),
                "days_leave": len(leave),
                "days_business_trip": len(trip),
                "days_signed_in": len(signed.get(person.pk, set())),
                "logs_written": len(mine),
            }
        )
    return rows
