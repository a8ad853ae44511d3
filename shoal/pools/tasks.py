"""Background work of the pools (ARCHITECTURE.md, Background work): the auto-return job every 15
minutes and the countdown refresh after a rule change. Both are plain service calls, safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from shoal.pools import services


@db_periodic_task(crontab(minute="*/15"))
@lock_task("pools-auto-return")  # one run at a time even with many workers; batches skip locked rows too
def pool_auto_return() -> None:
    services.auto_return_run()


@db_task()
def pool_countdown_refresh(pool_id: int) -> None:
    services.countdown_refresh(pool_id=pool_id)
