"""Background jobs: create, hand to the worker, run, report progress, keep the files they produce.

A runner is a plain function ``runner(job)`` registered for a kind; it must be idempotent, because a
failed or interrupted job is re-run from the start (imports skip the rows they already wrote)."""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shoal.core.errors import Conflict, ShoalError
from shoal.jobs.models import Job, JobStatus
from shoal.org.models import User

logger = logging.getLogger(__name__)

RUNNERS: dict[str, Callable[[Job], None]] = {}


def register_runner(kind: str) -> Callable:
    def wrap(fn: Callable[[Job], None]) -> Callable[[Job], None]:
        RUNNERS[kind] = fn
        return fn

    return wrap


def storage_name(folder: str, filename: str) -> str:
    """A fresh server-made storage name; only the (checked) extension of the user's name survives."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    now = timezone.now()
    return f"{folder}/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def file_store(folder: str, fileobj: IO[bytes], filename: str) -> str:
    return default_storage.save(storage_name(folder, filename), File(fileobj))


def job_create(
    *,
    actor: User,
    kind: str,
    params: dict | None = None,
    status: str = JobStatus.QUEUED,
    input_file: str = "",
    input_name: str = "",
) -> Job:
    params = dict(params or {})
    params.setdefault("language", translation.get_language() or settings.LANGUAGE_CODE)
    job = Job.objects.create(
        kind=kind,
        status=status,
        params=params,
        created_by=actor,
        input_file=input_file,
        input_name=input_name,
    )
    if status == JobStatus.QUEUED:
        job_enqueue(job)
    return job


def job_enqueue(job: Job) -> None:
    """Hand the job to the worker once the transaction that queued it has committed."""
    from shoal.jobs.tasks import job_task

    transaction.on_commit(lambda: job_task(job.pk))


def job_start(*, actor: User, job: Job, params: dict) -> Job:
    """A draft (an upload with its choices still open) becomes a queued job; only once."""
    merged = {**job.params, **params}
    done = Job.objects.filter(pk=job.pk, status=JobStatus.DRAFT).update(
        status=JobStatus.QUEUED, params=merged, updated_at=timezone.now()
    )
    if not done:
        raise Conflict(_("This job has already been started."), code="job_started")
    job.refresh_from_db()
    job_enqueue(job)
    return job


def job_retry(*, actor: User, job: Job) -> Job:
    """Run a failed job again; the runner skips what the earlier attempt finished."""
    done = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, error="", updated_at=timezone.now()
    )
    if not done:
        raise Conflict(_("Only a failed job can be run again."), code="job_not_failed")
    job.refresh_from_db()
    job_enqueue(job)
    return job


def job_progress(job: Job, *, done: int, total: int | None = None) -> None:
    """Written outside the runner's own transactions, so the web app sees it while the job runs."""
    job.progress_done = done
    changes = {"progress_done": done, "updated_at": timezone.now()}
    if total is not None:
        job.progress_total = total
        changes["progress_total"] = total
    Job.objects.filter(pk=job.pk).update(**changes)


def job_attach(job: Job, *, which: str, fileobj: IO[bytes], name: str) -> None:
    """Keep a file the job produced: ``which`` is "result" or "error" (the error report)."""
    stored = file_store("jobs", fileobj, name)
    old = getattr(job, f"{which}_file")
    setattr(job, f"{which}_file", stored)
    setattr(job, f"{which}_name", name)
    Job.objects.filter(pk=job.pk).update(**{f"{which}_file": stored, f"{which}_name": name})
    if old:
        default_storage.delete(old)


def job_run(job_id: int) -> Job | None:
    """Run a queued job (the worker calls this). A job already running elsewhere is left alone;
    one interrupted while running (the worker died) may be re-queued with ``job_retry`` after
    it was marked failed by ``job_fail_stale``."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, finished_at=None, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    runner = RUNNERS.get(job.kind)
    try:
        if runner is None:
            raise ShoalError(_("Unknown job kind."), code="unknown_job_kind")
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            runner(job)
    except ShoalError as error:
        _finish(job, JobStatus.FAILED, error=str(error.message))
    except Exception:
        logger.exception("job %s failed", job_id)
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            _finish(job, JobStatus.FAILED, error=_("The job stopped on an unexpected error; run it again."))
    else:
        _finish(job, JobStatus.DONE)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, *, error: str = "") -> None:
    changes = {"status": status, "finished_at": timezone.now(), "updated_at": timezone.now(), "result": job.result}
    if error:
        changes["error"] = error
    if status == JobStatus.DONE:
        changes["progress_done"] = max(job.progress_done, job.progress_total)
    Job.objects.filter(pk=job.pk).update(**changes)


def job_fail_stale(*, now=None, older_than_minutes: int = 30) -> int:
    """A job still "running" long after its last progress lost its worker: mark it failed so its
    owner can run it again (idempotent; the periodic task calls this)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=older_than_minutes)
    return Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff).update(
        status=JobStatus.FAILED, error=_("The worker stopped while running this job; run it again."), finished_at=now
    )


def job_drafts_clean(*, now=None, older_than_hours: int = 24) -> int:
    """Uploads nobody went on to import (drafts) are dropped with their file after a day."""
    now = now or timezone.now()
    stale = Job.objects.filter(status=JobStatus.DRAFT, updated_at__lt=now - timedelta(hours=older_than_hours))
    count = 0
    for job in stale.iterator():
        if job.input_file:
            default_storage.delete(job.input_file)
        job.delete()
        count += 1
    return count
