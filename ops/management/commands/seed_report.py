"""Load the cases of a report from its reviewable YAML seed file; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from ops.seeding import DEFAULT_FILE, SeedError, display_path, seed_from_file


class Command(BaseCommand):
    help = (
        "Load the cases of the 2024 UN Secretary-General report on Cambodia (or another seed "
        "file) into the database. Running it again changes nothing; records a person has "
        "edited since are kept and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DEFAULT_FILE),
            help="The YAML seed file to load (default: %(default)s).",
        )

    def handle(self, *args, **options):
        try:
            outcome = seed_from_file(options["file"])
        except SeedError as error:
            raise CommandError(str(error)) from None
        for line in outcome.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {line}"))
        if outcome.not_in_file:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(outcome.not_in_file)} records seeded earlier are no longer in the "
                    "file; left as they are: " + ", ".join(outcome.not_in_file)
                )
            )
        self.stdout.write(self.style.SUCCESS(outcome.summary(display_path(options["file"]))))
