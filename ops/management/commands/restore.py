from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (which "
        "should be new and empty) and MEDIA_ROOT, then check every table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds records."
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        total = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {total} rows from {archive} (made {manifest['created_at']}); "
                "every table's count matches."
            )
        )
