"""Background jobs (imports, big exports, mass sends): who started what, how far it got, what came out.

The files a job reads and writes live in the default storage (MEDIA_ROOT) under names the server
makes up; people download them only through the API, after the owner check (jobs.selectors)."""

from django.db import models

from shoal.core.models import TimeStampedModel


class JobStatus(models.TextChoices):
    DRAFT = "draft", "待确认"  # an upload waiting for its column mapping (imports); never run
    QUEUED = "queued", "排队中"  # handed to the worker
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"  # may be re-run: every runner is idempotent


class Job(TimeStampedModel):
    kind = models.CharField(max_length=50)  # a key of jobs.services.RUNNERS, e.g. "customer_import"
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # summary counts, kind-specific
    error = models.TextField(blank=True, default="")  # why it failed (shown to the user)
    # Storage names (server-generated); the *_name fields are what a download is called.
    input_file = models.CharField(max_length=300, blank=True, default="")
    input_name = models.CharField(max_length=200, blank=True, default="")
    result_file = models.CharField(max_length=300, blank=True, default="")
    result_name = models.CharField(max_length=200, blank=True, default="")
    error_file = models.CharField(max_length=300, blank=True, default="")
    error_name = models.CharField(max_length=200, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"], name="jobs_job_owner")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)
