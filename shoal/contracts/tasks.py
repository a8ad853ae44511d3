"""SAL-7 daily jobs: overdue instalments and collection tasks (bodies are plain services)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shoal.contracts import services


@db_periodic_task(crontab(hour="1", minute="10"))
def receivables_daily() -> None:
    services.plans_refresh_overdue()
    services.collection_tasks_generate()
