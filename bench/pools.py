"""Pool rules at scale (issue 6): the auto-return job over the generated customers, the countdown
recompute after a rule change, and the preview (dry run).

The generated follow-ups are years old, so every claimed customer would be overdue at once; before
the first measurement the claimed customers get follow-ups spread evenly over the last 30.3 days
(kept, so reruns see the same data): with a 30-day no-follow-up rule about 1% are due now and
about 3.3% more each following day — a pool in its steady state. Each job run is measured inside
a transaction that is rolled back, so reruns start from the same data.

    DATABASE_URL=postgres://…/shoal_bench_1m python bench/pools.py
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from shoal.customers.models import Customer  # noqa: E402
from shoal.pools import services  # noqa: E402
from shoal.pools.models import PoolRules  # noqa: E402
from shoal.pools.selectors import default_pool  # noqa: E402
from shoal.system.models import Parameter  # noqa: E402

RULES = {"auto_return": True, "no_follow_up_days": 30, "warning": True, "warning_days": 3}
TARGET_JOB_SECONDS = 60


class Rollback(Exception):
    pass


def prepare() -> dict:
    """Spread the claimed customers' last follow-ups over the last 30.3 days (once per database)."""
    if Parameter.objects.filter(key="bench.pools_prepared").exists():
        return Parameter.objects.get(key="bench.pools_prepared").value
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE customers_customer SET last_followed_at = now() - random() * interval '30.3 days', "
            "claimed_at = LEAST(claimed_at, now() - interval '31 days') WHERE owner_id IS NOT NULL"
        )
        cursor.execute("VACUUM ANALYZE customers_customer")
    info = {"seconds": round(time.monotonic() - started, 1)}
    Parameter.objects.update_or_create(key="bench.pools_prepared", defaults={"value": info})
    return info


def timed(function) -> tuple[float, object]:
    started = time.monotonic()
    value = function()
    return time.monotonic() - started, value


def job_run(now) -> dict:
    """One run of the job, rolled back afterwards."""
    result: dict = {}
    try:
        with transaction.atomic():
            seconds, plan = timed(lambda: services.auto_return_run(now=now))
            result = {
                "seconds": round(seconds, 1),
                "returned": len(plan.returned),
                "warned": len(plan.warned),
                "batches": plan.batches,
                "reps_affected": len(plan.owners()),
                "returned_per_second": round(len(plan.returned) / seconds) if seconds else None,
            }
            raise Rollback
    except Rollback:
        pass
    return result


def pool_benchmark() -> dict:
    prepared = prepare()
    pool = default_pool()
    rules = PoolRules.objects.get(pool=pool)
    for name, value in RULES.items():
        setattr(rules, name, value)
    rules.save()
    refresh_seconds, changed = timed(lambda: services.countdown_refresh(pool_id=pool.pk))
    now = timezone.now()
    customers = Customer.objects.count()
    claimed = Customer.objects.filter(owner__isnull=False).count()
    today = job_run(now)
    heavy = job_run(now + timedelta(days=3))
    from shoal.org.models import User

    admin = User.objects.filter(role__code="admin").first() or User.objects.filter(is_superuser=True).first()
    preview_seconds, preview = timed(
        lambda: services.auto_return_preview(
            actor=_Everything(admin), pool=pool, rules={"no_follow_up_days": 21}, now=now
        )
    )
    with connection.cursor() as cursor:  # the recompute rewrote every claimed row: let the lists see a vacuumed table
        cursor.execute("VACUUM ANALYZE customers_customer")
    return {
        "customers": customers,
        "claimed": claimed,
        "rules": RULES,
        "prepared": prepared,
        "countdown_refresh": {"seconds": round(refresh_seconds, 1), "changed": changed},
        "job_today": today,
        "job_in_3_days": heavy,
        "preview": {
            "seconds": round(preview_seconds, 1),
            "customers": preview["customers"],
            "reps": preview["reps"],
            "rule": "no_follow_up_days 30 → 21, tomorrow",
        },
        "target_job_seconds": TARGET_JOB_SECONDS,
    }


class _Everything:
    """The benchmark acts as an administrator (the generated data has none with a password)."""

    def __init__(self, user):
        self._user = user
        self.pk = getattr(user, "pk", None)

    def has_permission(self, code: str) -> bool:
        return True


def report_lines(entry: dict) -> list[str]:
    job, heavy = entry["job_today"], entry["job_in_3_days"]

    def met(run: dict) -> str:
        return "yes" if run["seconds"] <= entry["target_job_seconds"] else "**no**"

    return [
        f"Pool rules over {entry['customers']:,} customers ({entry['claimed']:,} claimed), default pool "
        f"with auto-return after 30 days without follow-up and a 3-day warning:",
        "",
        "| measurement | seconds | customers | target | met |",
        "|---|---:|---:|---:|:---:|",
        f"| countdown recompute after the rule change | {entry['countdown_refresh']['seconds']} | "
        f"{entry['countdown_refresh']['changed']:,} written | — | |",
        f"| auto-return job, today | {job['seconds']} | {job['returned']:,} returned, {job['warned']:,} warned | "
        f"≤ {entry['target_job_seconds']} s | {met(job)} |",
        f"| auto-return job, 3 days later | {heavy['seconds']} | {heavy['returned']:,} returned, "
        f"{heavy['warned']:,} warned | ≤ {entry['target_job_seconds']} s | {met(heavy)} |",
        f"| preview (dry run, 30 → 21 days) | {entry['preview']['seconds']} | {entry['preview']['customers']:,} "
        f"customers, {entry['preview']['reps']} reps | — | |",
        "",
    ]


def update_results(scale: str) -> None:
    """Re-measure the pool rules and the my-customers lists, replacing them in today's results of
    ``scale`` (the other measurements of bench/run.py are kept)."""
    import json
    from datetime import date

    from bench.run import RESULTS, list_benchmarks, write_report

    path = RESULTS / f"{date.today().isoformat()}.json"
    everything = json.loads(path.read_text())
    entry = everything[scale]
    load_before = os.getloadavg()[0]
    before = entry.get("pools", {}).get("countdown_refresh")
    entry["pools"] = pool_benchmark()
    if before and before.get("changed") and not entry["pools"]["countdown_refresh"]["changed"]:
        # the countdowns were already current: keep the measurement of the run that wrote them
        entry["pools"]["countdown_refresh"] = {**before, "note": "from the first run (this rerun wrote none)"}
    lists = list_benchmarks(200, only=("my_customers_page", "my_customers_by_days_left"))
    entry["lists"].update(lists)
    entry["meta"]["load_average_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    entry["meta"]["note"] = "pools and my-customers rows re-measured by bench/pools.py --update-results"
    _json, md = write_report(scale, entry)
    print(md.read_text())


if __name__ == "__main__":
    import json

    if len(sys.argv) > 2 and sys.argv[1] == "--update-results":
        update_results(sys.argv[2])
    else:
        print(json.dumps(pool_benchmark(), ensure_ascii=False, indent=2, default=str))
