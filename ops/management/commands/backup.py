from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="Where to write it (default: var/backups/tracker-<time>.tar.gz)",
        )

    def handle(self, *args, archive=None, **options):
        archive = archive or f"var/backups/tracker-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = create_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        total = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Backed up {total} rows to {archive}"))
