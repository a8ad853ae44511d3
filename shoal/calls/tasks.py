"""Periodic jobs of the call domain: reminders of next follow-ups, and the end of the day's leases."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shoal.calls import services


@db_periodic_task(crontab(minute="*"))
def call_reminders_due():
    services.annotation_remind_due()


@db_periodic_task(crontab(minute="5", hour="0"))
def phone_leases_expire():
    services.lease_expire()
