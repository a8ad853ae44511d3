"""The job machinery: claimed once, failed runs re-runnable, stale jobs and drafts cleaned up."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from shoal.jobs import services
from shoal.jobs.models import Job, JobStatus
from shoal.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(monkeypatch):
    calls = []

    def runner(job):
        calls.append(job.pk)
        job.result = {"ok": True}

    monkeypatch.setitem(services.RUNNERS, "test_kind", runner)
    return calls


def test_a_queued_job_runs_once_even_if_the_task_is_delivered_twice(runs):
    job = services.job_create(actor=UserFactory(), kind="test_kind")
    services.job_run(job.pk)
    services.job_run(job.pk)
    job.refresh_from_db()
    assert runs == [job.pk] and job.status == JobStatus.DONE and job.result == {"ok": True} and job.progress == 100


def test_only_a_failed_job_can_be_run_again(runs):
    job = services.job_create(actor=UserFactory(), kind="test_kind")
    with pytest.raises(services.Conflict):
        services.job_retry(actor=job.created_by, job=job)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    job.refresh_from_db()
    services.job_retry(actor=job.created_by, job=job)
    services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_a_running_job_without_progress_for_30_minutes_is_failed():
    job = Job.objects.create(kind="test_kind", status=JobStatus.RUNNING, created_by=UserFactory())
    later = timezone.now() + timedelta(minutes=31)
    assert services.job_fail_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error
    assert services.job_fail_stale(now=later) == 0


def test_drafts_left_for_a_day_are_removed_with_their_upload():
    stored = default_storage.save("imports/x/upload.csv", __import__("io").BytesIO(b"a\n"))
    job = Job.objects.create(
        kind="customer_import", status=JobStatus.DRAFT, created_by=UserFactory(), input_file=stored
    )
    assert services.job_drafts_clean(now=timezone.now()) == 0
    assert services.job_drafts_clean(now=timezone.now() + timedelta(hours=25)) == 1
    assert not Job.objects.filter(pk=job.pk).exists() and not default_storage.exists(stored)


def test_storage_names_keep_only_a_safe_extension():
    assert services.storage_name("jobs", "../../x.CSV").endswith(".csv")
    assert ".." not in services.storage_name("jobs", "../../x.csv")
    assert services.storage_name("jobs", "a.c/s v").rsplit("/", 1)[1].count(".") == 0
