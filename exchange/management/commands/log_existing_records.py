"""Give every record that has no entry in the change feed a ``created`` one."""

from django.core.management.base import BaseCommand
from django.db import transaction

from core import registry
from exchange.changes import log_existing


class Command(BaseCommand):
    help = (
        "Add a 'created' entry to the change feed (/api/v1/changes/) for every synced record "
        "that has none: the records from before the feed existed, or loaded in bulk without "
        "save(). Run it once after deploying the feed; running it again adds nothing."
    )

    def handle(self, *args, **options):
        for record_type in registry.synced():
            # One transaction per type: a partner reading meanwhile sees a type whole or not yet.
            with transaction.atomic():
                added = log_existing(record_type)
            self.stdout.write(f"{record_type.partner_name}: {added} added")
