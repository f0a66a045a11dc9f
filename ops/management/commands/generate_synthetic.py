"""Fill the database with synthetic cases for benchmarks (see cases/synthetic.py)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.synthetic import DEFAULT_TODAY, SyntheticDataError, load


class Command(BaseCommand):
    help = (
        "Add N synthetic cases with about 2N defendants, 4N charges and 10N hearings, plus "
        "their links, decisions, custody periods and citations, for benchmarks. Benchmark data "
        "only: it is written with COPY (PostgreSQL) or executemany (SQLite), so no history is "
        "recorded, and it must never be loaded into a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=DEFAULT_TODAY,
            help="The last day of the synthetic world, YYYY-MM-DD (default: %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (a benchmark database with production settings).",
        )

    def handle(self, *args, cases, seed, today, force, **options):
        if cases <= 0:
            raise CommandError(f"--cases must be a positive number of cases, not {cases}.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a production database: synthetic data must never "
                "be mixed with real records. Use a benchmark database, and add --force if you "
                "really mean it."
            )
        try:
            report = load(cases, seed=seed, today=today)
        except SyntheticDataError as error:
            raise CommandError(str(error)) from None

        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.WARNING(
                "No history rows were written: synthetic data is benchmark data, bulk-loaded "
                "without django-simple-history."
            )
        )
