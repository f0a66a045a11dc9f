"""One custody rule on every path: a new custody period for a person in a case ends that
person's open periods in that case the day the new one starts, whether it is logged with a
hearing, posted to the API, added on the case or person page, added on its own, or imported."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.dates import DatePrecision
from core.visibility import Visibility
from defendants.models import CustodyKind, CustodyPeriod
from tests.admin.helpers import (
    admin_form_data,
    as_csv,
    form_data,
    format_choice,
    with_new_inline_row,
)
from tests.factories import (
    API_OBSERVATION,
    LOG_OBSERVATION,
    CaseDefendantFactory,
    CustodyPeriodFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
BAIL_DAY = D(2024, 3, 5)


@pytest.fixture
def detained():
    """A person in open pretrial detention in a case since 10 January 2024."""
    link = CaseDefendantFactory()
    return CustodyPeriodFactory(
        case=link.case,
        defendant=link.defendant,
        kind=CustodyKind.PRETRIAL_DETENTION,
        start=D(2024, 1, 10),
        # Monitors-only: a Monitor's write ends it at once (a public one waits for an Editor,
        # tests/publication).
        visibility=Visibility.MONITORS,
    )


def bail_values(period):
    return {
        "case": period.case_id,
        "defendant": period.defendant_id,
        "kind": CustodyKind.BAIL,
        "start": BAIL_DAY.isoformat(),
        "start_precision": DatePrecision.DAY,
        "end_precision": DatePrecision.DAY,
        "visibility": period.visibility,
    }


def assert_detention_ended_by_bail(period):
    period.refresh_from_db()
    assert (period.end, period.end_precision) == (BAIL_DAY, DatePrecision.DAY)
    bail = CustodyPeriod.objects.get(defendant=period.defendant, kind=CustodyKind.BAIL)
    assert (bail.start, bail.end) == (BAIL_DAY, None)


def cited(payload):
    """An API payload with the citation every new record needs (#14)."""
    return {**payload, "citations": API_OBSERVATION}


def test_logging_a_hearing_with_bail_ends_the_open_detention(client, monitor, detained):
    client.force_login(monitor)
    prefix = f"d{detained.defendant_id}-"

    response = client.post(
        f"/admin/cases/case/{detained.case_id}/log-hearing/",
        {
            "date": BAIL_DAY.isoformat(),
            "date_precision": DatePrecision.DAY,
            "court": detained.case.court_id,
            "kind": "bail",
            **LOG_OBSERVATION,
            "status": "held",
            "confirm_unusual_date": "on",
            prefix + "custody": CustodyKind.BAIL,
        },
    )

    assert response.status_code == 302
    assert_detention_ended_by_bail(detained)


def test_posting_bail_to_the_api_ends_the_open_detention(monitor_api, detained):
    payload = {**bail_values(detained), "start": BAIL_DAY.isoformat()}
    del payload["end_precision"]

    response = monitor_api.post("/api/v1/custody-periods/", cited(payload), format="json")

    assert response.status_code == 201, response.data
    assert_detention_ended_by_bail(detained)


def test_adding_bail_on_the_case_page_ends_the_open_detention(client, editor, detained):
    client.force_login(editor)
    url = f"/admin/cases/case/{detained.case_id}/change/"
    data = with_new_inline_row(client.get(url), CustodyPeriod, **bail_values(detained))

    response = client.post(url, {**data, **LOG_OBSERVATION})

    assert response.status_code == 302
    assert_detention_ended_by_bail(detained)


def test_adding_bail_on_the_person_page_ends_the_open_detention(client, editor, detained):
    client.force_login(editor)
    url = f"/admin/defendants/defendant/{detained.defendant_id}/change/"
    data = with_new_inline_row(client.get(url), CustodyPeriod, **bail_values(detained))

    response = client.post(url, {**data, **LOG_OBSERVATION})

    assert response.status_code == 302
    assert_detention_ended_by_bail(detained)


def test_adding_bail_on_its_own_admin_page_ends_the_open_detention(client, editor, detained):
    client.force_login(editor)
    url = "/admin/defendants/custodyperiod/add/"
    data = {**admin_form_data(client.get(url)), **bail_values(detained)}

    response = client.post(url, {**data, **LOG_OBSERVATION})

    assert response.status_code == 302
    assert_detention_ended_by_bail(detained)


def test_importing_bail_ends_the_open_detention(client, editor, detained):
    client.force_login(editor)
    base = "/admin/defendants/custodyperiod/"
    form = client.get(base + "import/").context["form"]
    source = SourceFactory()
    row = {**bail_values(detained), "id": "", "end": "", "note": ""}
    row.update(citation_source=source.pk, citation_paragraph="34")
    preview = client.post(
        base + "import/",
        {
            "resource": "0",
            "format": format_choice(form, "csv"),
            "import_file": SimpleUploadedFile("custody.csv", as_csv([row])),
        },
    )
    assert "confirm_form" in preview.context, preview.context.get("result")

    response = client.post(base + "process_import/", form_data(preview.context["confirm_form"]))

    assert response.status_code == 302
    assert_detention_ended_by_bail(detained)


def test_the_ended_period_keeps_its_history(monitor_api, detained):
    monitor_api.post("/api/v1/custody-periods/", cited(bail_values(detained)), format="json")

    detained.refresh_from_db()
    assert detained.version == 2
    assert [h.end for h in detained.history.order_by("history_date")] == [None, BAIL_DAY]


def test_a_period_recorded_late_that_ended_before_the_open_one_began_ends_nothing(
    monitor_api, detained
):
    earlier = {**bail_values(detained), "kind": CustodyKind.POLICE_CUSTODY}
    earlier.update(start="2024-01-01", end="2024-01-09")

    response = monitor_api.post("/api/v1/custody-periods/", cited(earlier), format="json")

    assert response.status_code == 201, response.data
    detained.refresh_from_db()
    assert detained.end is None


def test_another_persons_detention_is_left_alone(monitor_api, detained):
    co_defendant = CaseDefendantFactory(case=detained.case)
    other = CustodyPeriodFactory(
        case=detained.case, defendant=co_defendant.defendant, start=D(2024, 1, 10)
    )

    monitor_api.post("/api/v1/custody-periods/", cited(bail_values(detained)), format="json")

    other.refresh_from_db()
    assert other.end is None


def test_a_new_open_period_starting_before_an_open_one_is_refused(monitor_api, detained):
    earlier = {**bail_values(detained), "start": "2024-01-01"}

    response = monitor_api.post("/api/v1/custody-periods/", cited(earlier), format="json")

    assert response.status_code == 400
    assert "after this period starts (1 January 2024)" in response.data["start"][0]
    detained.refresh_from_db()
    assert detained.end is None
