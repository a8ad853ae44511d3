from pathlib import Path

from huey.contrib.djhuey import db_task

from shoal.backups.services import backup_create


@db_task()
def backup_create_task(final: str, by: str = "") -> str:
    """SYS-3: the admin screen's "create backup" runs here, in the background worker."""
    return str(backup_create(Path(final), by=by))
