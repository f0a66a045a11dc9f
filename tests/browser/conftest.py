"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright for Python, against
pytest-django's live server seeded from the 2024 report.

Never run ``playwright install``: the tests use the system browser. Without it, or without the
playwright package, every test here is skipped with the reason; none passes silently."""

import os
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TransactionTestCase

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"  # git-ignored

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    """Every test here that drives the browser carries the ``browser`` marker, so that
    ``-m "not browser"`` leaves them out. (The hook sees the whole session's tests; other
    folders have fixtures of the same name.)"""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in item.path.parents and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """One headless Chromium per test module; skips, with the reason, when it cannot run.

    Not for the whole session: while Playwright runs, this thread has an event loop and
    DJANGO_ALLOW_ASYNC_UNSAFE is set, which the tests after these must not inherit."""
    from django.db import connections

    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs Playwright for Python (pip install -e '.[dev]')"
    )
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    # the test's own database queries as "called from an async context".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(exist_ok=True)
    # With an event loop running, Django gives this thread a new database connection. Hand it
    # the content the migrations wrote, which the first connection kept for serialized
    # rollbacks (see ``seeded``).
    migrated = getattr(connections["default"], "_test_serialized_contents", None)
    playwright = sync_api.sync_playwright().start()
    if migrated is not None:
        connections["default"]._test_serialized_contents = migrated
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _rows(model):
    """{pk: (value of every concrete column)} of a table."""
    columns = [field.attname for field in model._meta.concrete_fields]
    return {row[0]: row for row in model._base_manager.values_list("pk", *columns)}


@pytest.fixture(scope="module")
def report_rows(django_db_setup, django_db_blocker):
    """{model: (columns, rows)}: what seeding the 2024 report adds to a migrated database,
    read once per module inside a transaction that is rolled back.

    Seeding costs some fifteen seconds of CPU (every save computes its change-feed entry); copying
    its rows back costs a fraction of a second, and gives each test the same database."""
    models = apps.get_models(include_auto_created=True)

    class Migrated(TransactionTestCase):
        serialized_rollback = True

        def runTest(self):
            pass

    # The database as migrations left it, whatever committing test ran before this module
    # (it may have emptied every table), then the seed, in a transaction rolled back.
    database = Migrated()
    with django_db_blocker.unblock():
        database._pre_setup()
        try:
            ContentType.objects.clear_cache()
            with transaction.atomic():
                before = {model: _rows(model) for model in models}
                call_command("seed_report", stdout=StringIO())
                after = {model: _rows(model) for model in models}
                transaction.set_rollback(True)
        finally:
            database._post_teardown()
    added = {}
    for model in models:
        kept = before[model].keys() & after[model].keys()
        # Seeding only adds rows; should it ever change or remove one the migrations wrote,
        # copying would no longer give the seeded database: seed in each test instead.
        assert len(kept) == len(before[model]), f"seeding removed {model._meta.label} rows"
        assert all(before[model][pk] == after[model][pk] for pk in kept), (
            f"seeding changed {model._meta.label} rows"
        )
        rows = [row[1:] for pk, row in after[model].items() if pk not in kept]
        if rows:
            columns = [field.attname for field in model._meta.concrete_fields]
            added[model] = (columns, rows)
    return added


@pytest.fixture
def seeded(transactional_db, django_db_serialized_rollback, report_rows):
    """The live server's database holds the cases of the 2024 report, as ``seed_report``
    writes them: fresh copies of the rows it wrote once (``report_rows``). (A transactional
    test empties every table when it ends; the serialized rollback puts back what the
    migrations wrote, such as the provinces the seed names.)"""
    with transaction.atomic():
        for model, (columns, rows) in report_rows.items():
            model._base_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows]
            )
        # The rows keep their ids: move each table's id sequence past them (PostgreSQL).
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(report_rows)):
                cursor.execute(statement)


@dataclass
class Visit:
    """A browser tab on the live server that records what a reader would not see: console
    errors, script errors and requests to any other host."""

    page: object
    base_url: str
    name: str
    errors: list = field(default_factory=list)
    foreign_requests: list = field(default_factory=list)

    def watch(self):
        host = urlsplit(self.base_url).netloc

        def on_console(message):
            if message.type == "error":
                self.errors.append(f"console: {message.text} ({self.page.url})")

        def on_request(request):
            url = urlsplit(request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
                self.foreign_requests.append(request.url)

        self.page.on("console", on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        self.page.on("request", on_request)

    def open(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, f"{path} answered {response.status}"
        return response

    def screenshot(self, label=""):
        # Charts animate in for a second: wait until they are drawn.
        self.page.wait_for_function(
            "() => !window.Chart || Object.values(Chart.instances)"
            ".every(chart => !Chart.animator.running(chart))"
        )
        suffix = f"-{label}" if label else ""
        path = SCREENSHOTS / f"{self.name}{suffix}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_visit(browser, live_server, request, viewport, label):
    context = browser.new_context(
        viewport=viewport, locale="en-GB", accept_downloads=True, base_url=live_server.url
    )
    # A bound on waiting, not a measure of speed: generous, since another test worker and
    # the database share the cores with the browser and the live server.
    context.set_default_timeout(15_000)
    name = f"{request.node.originalname.removeprefix('test_')}-{label}"
    visit = Visit(context.new_page(), live_server.url, name)
    visit.watch()
    return context, visit


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop-1280", "phone-390"])
def visit(request, browser, live_server, seeded):
    """A fresh tab at desktop and at phone width."""
    label = f"{request.param['width']}px"
    context, visit = open_visit(browser, live_server, request, request.param, label)
    yield visit
    context.close()


@pytest.fixture
def narrow_visit(request, browser, live_server, seeded):
    """A fresh tab on the narrowest phone screen we support (360 px)."""
    context, visit = open_visit(browser, live_server, request, NARROWEST, "360px")
    yield visit
    context.close()


MONITOR_PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def log_in(visit, user, next_path):
    """Sign ``user`` in through the admin's login form; the tab is left on ``next_path``."""
    visit.open(f"/admin/login/?next={next_path}")
    visit.page.fill("input[name=username]", user.username)
    visit.page.fill("input[name=password]", MONITOR_PASSWORD)
    with visit.page.expect_navigation():
        visit.page.click("input[type=submit]")
    assert visit.page.url.endswith(next_path), visit.page.url


def admin_visit(browser, live_server, request, viewport, label, next_path="/admin/"):
    """A tab signed in as a new monitor, on ``next_path``."""
    from core import roles
    from tests.factories import UserFactory

    context, visit = open_visit(browser, live_server, request, viewport, label)
    # The admin's pages link no icon, so the browser asks for /favicon.ico (a 404) by itself.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    log_in(visit, UserFactory(role=roles.MONITOR), next_path)
    return context, visit
