"""Run every periodic background job once, now (reminders, collection tasks, auto-return, clean-ups).

The Huey consumer (`make run`) runs them on their schedules; this is for an operator who wants the due
work done at once, and for the browser tests, which run without a consumer."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run every periodic job once now (or only those named)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="job names, e.g. contact_plan_reminders (default: all)")

    def handle(self, *args, names, **options):
        from huey.contrib.djhuey import HUEY

        for config in apps.get_app_configs():
            if config.name.startswith("shoal."):
                try:
                    import_module(f"{config.name}.tasks")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.tasks":
                        raise
        jobs = {task.__name__: task for task in HUEY._registry._periodic_tasks}
        unknown = sorted(set(names) - set(jobs))
        if unknown:
            self.stderr.write(f"unknown jobs: {', '.join(unknown)}; known: {', '.join(sorted(jobs))}")
            raise SystemExit(2)
        for name in names or sorted(jobs):
            result = jobs[name]().execute()
            self.stdout.write(f"{name}: {result}")
