"""Authorization-matrix entries of SYS-3 backups: administrators only (system.backup)."""

import io
import json
import tarfile

from shoal.core.tests.matrix_cases import Case, Target

NAME = "shoal-backup-20260101-000000.tar.gz"


def backup_files(w, actor: str) -> list[Target]:
    """A small archive with a manifest in the backups folder, and a name that is not there."""
    from shoal.backups.services import backups_dir

    path = backups_dir() / NAME
    if not path.exists():
        manifest = json.dumps(
            {
                "created_at": "2026-01-01T00:00:00+08:00",
                "database": {"kind": "sqlite"},
                "tables": {},
                "rows": 0,
                "media": [],
            }
        ).encode()
        with tarfile.open(path, "w:gz") as tar:
            info = tarfile.TarInfo("manifest.json")
            info.size = len(manifest)
            tar.addfile(info, io.BytesIO(manifest))
    return [
        Target("backup", {"name": NAME}, True),
        Target("missing", {"name": "shoal-backup-19990101-000000.tar.gz"}, False),
        Target("outside the folder", {"name": "secret_key"}, False),
    ]


TABLE = {
    ("/api/v1/backups/", "GET"): [Case(perm="system.backup")],
    ("/api/v1/backups/", "POST"): [Case(perm="system.backup", ok=202)],
    ("/api/v1/backups/{name}/", "GET"): [Case(targets=backup_files, perm="system.backup")],
    ("/api/v1/backups/{name}/download/", "GET"): [Case(targets=backup_files, perm="system.backup")],
}
