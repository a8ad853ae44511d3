from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shoal.backups.services import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = "SYS-3: replace the database and the media files with a backup archive, then verify every table."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a shoal-backup-*.tar.gz archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            manifest = read_manifest(path)
        except Exception as exc:
            raise CommandError(f"not a Shoal backup: {exc}") from exc
        self.stdout.write(
            f"Backup of {manifest['created_at']} ({manifest['database']['kind']}, {manifest['rows']} rows, "
            f"{len(manifest['media'])} media files)."
        )
        if not yes:
            answer = input("This REPLACES the current database and media files. Type RESTORE to go on: ")
            if answer.strip() != "RESTORE":
                raise CommandError("cancelled")
        try:
            report = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report["mismatches"]:
            raise CommandError(f"restored, but these tables differ from the manifest: {report['mismatches']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"restored and verified: {report['tables']} tables, {report['rows']} rows, "
                f"{report['media_files']} media files"
            )
        )
