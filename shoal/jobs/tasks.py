from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from shoal.jobs import services


@db_task()
def job_task(job_id: int) -> None:
    services.job_run(job_id)


@db_periodic_task(crontab(minute="*/10"))
def jobs_fail_stale() -> None:
    services.job_fail_stale()


@db_periodic_task(crontab(minute="17", hour="*"))
def jobs_drafts_clean() -> None:
    services.job_drafts_clean()
