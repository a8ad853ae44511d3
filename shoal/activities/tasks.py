"""Periodic jobs of the activities domain. Their bodies are services tests call with a fixed ``now``."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shoal.activities import services


@db_periodic_task(crontab(minute="*"))
def contact_plan_reminders() -> int:
    """ACT-2: deliver the reminders of contact plans that are due (bounded, idempotent)."""
    return services.contact_plan_remind_due(now=timezone.now())
