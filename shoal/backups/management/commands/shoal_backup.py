from django.core.management.base import BaseCommand, CommandError

from shoal.backups.services import BackupError, backup_create, read_manifest


class Command(BaseCommand):
    help = "SYS-3: write a backup archive (database + media + manifest) under var/backups/."

    def handle(self, *args, **options):
        try:
            path = backup_create(by="command line")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = read_manifest(path)
        self.stdout.write(
            f"{path}\n{manifest['database']['kind']}: {len(manifest['tables'])} tables, "
            f"{manifest['rows']} rows, {len(manifest['media'])} media files"
        )
