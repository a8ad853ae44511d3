"""Run the pool auto-return job by hand (the worker runs it every 15 minutes): `manage.py
pool_auto_return [--dry-run] [--at 2026-12-01T09:00+08:00] [--batch-size 1000]`."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shoal.pools import services


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Return customers whose pool countdown has ended, and warn owners (CUS-1)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; change nothing")
        parser.add_argument("--at", help="pretend it is this time (ISO 8601); default: now")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, dry_run=False, at=None, batch_size=1000, **options):
        now = timezone.now()
        if at:
            try:
                now = datetime.fromisoformat(at)
            except ValueError:
                raise CommandError("--at takes an ISO 8601 time, e.g. 2026-12-01T09:00+08:00") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        if dry_run:  # the same run inside one transaction that is rolled back
            try:
                with transaction.atomic():
                    plan = services.auto_return_run(now=now, batch_size=batch_size)
                    raise _DryRun
            except _DryRun:
                pass
        else:  # each batch commits on its own
            plan = services.auto_return_run(now=now, batch_size=batch_size)
        verb = "would return" if dry_run else "returned"
        self.stdout.write(
            f"{verb} {len(plan.returned)} customers of {len(plan.owners())} reps; "
            f"{'would warn' if dry_run else 'warned'} about {len(plan.warned)}; {plan.batches} batches"
        )
