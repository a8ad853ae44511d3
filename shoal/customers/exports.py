"""CUS-13 export of a customer list with its filters (API.md: ``GET …/export/?format=xlsx|csv``).

Only what the list itself would show: the caller's visible customers for mine/shared/all (selectors,
at the time the file is written), and for the pool only the public fields (SYS-2 public_fields).
Small lists are answered at once; above ``SHOAL_EXPORT_SYNC_LIMIT`` rows a background job writes the
file. Every cell is neutralised against formula injection (core.spreadsheets.neutralise)."""

import tempfile
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shoal.core.errors import InvalidInput
from shoal.core.permissions import require
from shoal.customers import selectors
from shoal.customers.imports import FIELDS
from shoal.customers.models import Customer, CustomerTag, Stage
from shoal.customers.permissions import Permission
from shoal.jobs.models import Job
from shoal.jobs.services import job_attach, job_create, job_progress, register_runner
from shoal.jobs.spreadsheets import RowWriter
from shoal.org.models import User
from shoal.system.models import DictionaryItem

KIND = "customer_export"
VIEWS = ("pool", "mine", "shared", "all")
FORMATS = ("xlsx", "csv")
BATCH = 2000
_DICTIONARY = {
    "category": "customer_category",
    "industry": "industry",
    "level": "customer_level",
    "source": "customer_source",
}
_ORDERING = {
    "id", "name", "short_name", "category", "industry", "level", "source", "intent_level", "province", "city",
    "district", "claimed_at", "last_followed_at", "created_at", "updated_at", "primary_contact_name",
    "primary_contact_mobile",
}  # fmt: skip

# (key, header): the importable ones first, with the import template's headers, so a file exported
# here imports back; then what only an export has.
_COLUMNS: list[tuple[str, object]] = [
    *((f, FIELDS[f].label) for f in ("name", "short_name", "credit_code", "category", "industry", "level", "source")),
    ("stage", FIELDS["stage"].label),
    ("province", gettext_lazy("Province")),
    ("city", gettext_lazy("City")),
    ("district", gettext_lazy("District")),
    *((f, FIELDS[f].label) for f in ("address", "phone", "mobile", "website", "remarks")),
    ("primary_contact_name", FIELDS["contact_name"].label),
    ("primary_contact_mobile", FIELDS["contact_mobile"].label),
    ("tags", FIELDS["tags"].label),
    ("intent_level", gettext_lazy("Intent level")),
    ("owner", gettext_lazy("Owner")),
    ("claimed_at", gettext_lazy("Claimed at")),
    ("last_followed_at", gettext_lazy("Last follow-up")),
    ("created_at", gettext_lazy("Created at")),
]


def export_check(*, actor: User, view: str, fmt: str) -> None:
    require(actor, Permission.EXPORT)
    errors = {}
    if view not in VIEWS:
        errors["view"] = [_("Choose pool, mine, shared or all.")]
    if fmt not in FORMATS:
        errors["format"] = [_("Choose xlsx or csv.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    if view == "pool":
        require(actor, Permission.VIEW_POOL)


def export_queryset(*, actor: User, view: str, filters: dict) -> QuerySet[Customer]:
    if view == "pool":
        qs = selectors.customer_pool(user=actor, filters=filters)
        allowed = {"id", *selectors.public_fields()}
    else:
        qs = selectors.customer_list(user=actor, view=view, filters=filters)
        allowed = _ORDERING
    ordering = (filters.get("ordering") or "").strip()
    term = ordering.lstrip("-")
    order = [ordering, "-id"] if term in _ORDERING and term in allowed else ["-id"]
    return qs.select_related(None).order_by(*order)


def _columns(view: str) -> list[tuple[str, object]]:
    if view != "pool":
        return _COLUMNS
    public = set(selectors.public_fields())
    shown = [(k, h) for k, h in _COLUMNS if k in public]
    return [*shown, ("claimed", gettext_lazy("Claimed")), ("owner", gettext_lazy("Owner"))]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_rows(*, actor: User, view: str, filters: dict, progress=None) -> Iterator[list]:
    """The header, then one list of cells per customer, read in batches (a few queries per batch)."""
    columns = _columns(view)
    keys = [k for k, _h in columns]
    yield [str(h) for _k, h in columns]
    names = {(kind, code): name for kind, code, name in DictionaryItem.objects.values_list("kind", "code", "name")}
    stages = dict(Stage.objects.values_list("id", "name"))
    owners = {pk: (name or username) for pk, name, username in User.objects.values_list("id", "name", "username")}
    fields = [f for f in ("id", "owner_id", "stage_id", *keys) if f not in {"stage", "owner", "tags", "claimed"}]
    rows = export_queryset(actor=actor, view=view, filters=filters).values(*dict.fromkeys(fields)).iterator(BATCH)
    done = 0
    while batch := list(islice(rows, BATCH)):
        tags: dict[int, list[str]] = {}
        if "tags" in keys:
            for customer_id, name in CustomerTag.objects.filter(customer_id__in=[r["id"] for r in batch]).values_list(
                "customer_id", "tag__name"
            ):
                tags.setdefault(customer_id, []).append(name)
        for row in batch:
            cells = []
            for key in keys:
                if key in _DICTIONARY:
                    value = names.get((_DICTIONARY[key], row[key]), row[key])
                elif key == "stage":
                    value = stages.get(row["stage_id"], "")
                elif key == "owner":
                    value = owners.get(row["owner_id"], "") if row["owner_id"] else ""
                elif key == "claimed":
                    value = _("Yes") if row["owner_id"] else _("No")
                elif key == "tags":
                    value = ",".join(sorted(tags.get(row["id"], [])))
                elif key in {"claimed_at", "last_followed_at", "created_at"}:
                    value = _local(row[key])
                else:
                    value = row[key]
                cells.append("" if value is None else value)
            yield cells
        done += len(batch)
        if progress:
            progress(done)


def export_count(*, actor: User, view: str, filters: dict, cap: int) -> int:
    """How many rows, counted only up to ``cap + 1`` (enough to choose between now and a job)."""
    qs = export_queryset(actor=actor, view=view, filters=filters)
    return len(qs.values_list("pk", flat=True)[: cap + 1])


def export_filename(view: str, fmt: str) -> str:
    label = {
        "pool": _("Customer pool"),
        "mine": _("My customers"),
        "shared": _("Shared customers"),
        "all": _("All customers"),
    }[view]
    return f"{label}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def export_write(*, actor: User, view: str, filters: dict, fmt: str, out, progress=None) -> None:
    writer = RowWriter(out, fmt, sheet_title="customers")
    for cells in export_rows(actor=actor, view=view, filters=filters, progress=progress):
        writer.write(cells)
    writer.close()


def export_start(*, actor: User, view: str, filters: dict, fmt: str) -> Job | None:
    """None: small enough to answer at once (the caller streams ``export_write``); else the job."""
    export_check(actor=actor, view=view, fmt=fmt)
    limit = settings.SHOAL_EXPORT_SYNC_LIMIT
    count = export_count(actor=actor, view=view, filters=filters, cap=limit)
    if count <= limit:
        return None
    clean = {k: v for k, v in filters.items() if k not in {"format", "page", "page_size"}}
    return job_create(actor=actor, kind=KIND, params={"view": view, "filters": clean, "format": fmt})


@register_runner(KIND)
def customer_export_run(job: Job) -> None:
    params = job.params
    actor = job.created_by
    export_check(actor=actor, view=params["view"], fmt=params["format"])
    total = export_queryset(actor=actor, view=params["view"], filters=params["filters"]).count()
    job_progress(job, done=0, total=total)
    with tempfile.TemporaryFile() as out:
        export_write(
            actor=actor,
            view=params["view"],
            filters=params["filters"],
            fmt=params["format"],
            out=out,
            progress=lambda done: job_progress(job, done=done),
        )
        out.seek(0)
        job.result = {"rows": total}
        job_attach(job, which="result", fileobj=out, name=export_filename(params["view"], params["format"]))
