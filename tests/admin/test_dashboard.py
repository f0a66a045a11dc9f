"""The monitor's dashboard on the admin index: my cases, upcoming hearings, records flagged for
review, and what others changed recently."""

import datetime
import re

import pytest
from django.utils import timezone

from hearings.models import Decision, DecisionKind, HearingStatus
from tests.factories import (
    LOG_OBSERVATION,
    CaseFactory,
    ChargeFactory,
    HearingFactory,
    UserFactory,
)

from .helpers import admin_form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def section(response, heading_id):
    """The HTML of one dashboard section, found by the id of its heading."""
    page = response.content.decode()
    match = re.search(
        rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, flags=re.DOTALL
    )
    assert match, f"no dashboard section {heading_id!r}"
    return match.group(1)


@pytest.fixture
def dashboard(client, monitor):
    """Fetch the dashboard as the monitor (call it once the records exist)."""

    def fetch():
        client.force_login(monitor)
        response = client.get("/admin/")
        assert response.status_code == 200
        return response

    return fetch


def test_it_lists_the_cases_assigned_to_me(dashboard, monitor):
    mine = CaseFactory(title="Trial of the union leaders")
    mine.assigned_monitors.add(monitor)
    CaseFactory(title="Someone else's case").assigned_monitors.add(UserFactory())

    html = section(dashboard(), "my-cases")

    assert "Trial of the union leaders" in html
    assert f"/admin/cases/case/{mine.pk}/log-hearing/" in html
    assert "Someone else&#x27;s case" not in html


def test_it_lists_upcoming_hearings_but_not_past_ones(dashboard):
    HearingFactory(
        case=CaseFactory(title="Future hearing case"), date=TODAY + datetime.timedelta(days=7)
    )
    HearingFactory(
        case=CaseFactory(title="Past hearing case"), date=TODAY - datetime.timedelta(days=7)
    )

    html = section(dashboard(), "upcoming")

    assert "Future hearing case" in html
    assert "Past hearing case" not in html


def test_it_leaves_out_cancelled_hearings(dashboard):
    HearingFactory(
        case=CaseFactory(title="Cancelled hearing case"),
        date=TODAY + datetime.timedelta(days=7),
        status=HearingStatus.CANCELLED,
    )

    assert "Cancelled hearing case" not in section(dashboard(), "upcoming")


def test_it_lists_records_flagged_for_review(dashboard):
    CaseFactory(title="Check this case", needs_review=True, review_note="Two sources disagree")
    CaseFactory(title="Nothing to check")

    html = section(dashboard(), "flagged")

    assert "Check this case" in html
    assert "Two sources disagree" in html
    assert "Nothing to check" not in html


def test_it_lists_recent_changes_by_others_but_not_mine(dashboard, monitor):
    other = UserFactory(username="sokha")
    theirs, mine = CaseFactory(), CaseFactory()
    theirs.title, theirs._history_user = "Changed by Sokha", other
    theirs.save()
    mine.title, mine._history_user = "Changed by me", monitor
    mine.save()

    html = section(dashboard(), "recent")

    assert "Changed by Sokha" in html
    assert "sokha" in html
    assert "Changed by me" not in html


def test_recent_changes_show_the_newest_first(dashboard):
    other = UserFactory()
    case = CaseFactory()
    for title in ["First change", "Second change"]:
        case.title, case._history_user = title, other
        case.save()

    html = section(dashboard(), "recent")

    assert html.index("Second change") < html.index("First change")


def test_a_hearing_held_today_is_no_longer_upcoming(dashboard):
    HearingFactory(
        case=CaseFactory(title="Heard this morning"), date=TODAY, status=HearingStatus.HELD
    )

    assert "Heard this morning" not in section(dashboard(), "upcoming")


def test_a_postponed_hearing_is_no_longer_upcoming(dashboard):
    HearingFactory(
        case=CaseFactory(title="Put off"),
        date=TODAY + datetime.timedelta(days=3),
        status=HearingStatus.POSTPONED,
    )

    assert "Put off" not in section(dashboard(), "upcoming")


def test_my_changes_lists_mine_but_not_others(dashboard, monitor):
    theirs, mine = CaseFactory(), CaseFactory()
    theirs.title, theirs._history_user = "Changed by a colleague", UserFactory()
    theirs.save()
    mine.title, mine._history_user = "Changed by me", monitor
    mine.save()

    html = section(dashboard(), "mine")

    assert "Changed by me" in html
    assert "Changed by a colleague" not in html


def test_a_decision_saved_in_the_admin_is_under_my_changes_not_others(client, monitor):
    # The admin's own LogEntry is written only by its change pages; the dashboard reads the
    # history every write path keeps, and the request's user is who wrote it.
    charge = ChargeFactory(date_filed=datetime.date(2024, 4, 10))
    client.force_login(monitor)
    url = "/admin/hearings/decision/add/"
    data = {
        **admin_form_data(client.get(url)),
        **LOG_OBSERVATION,
        "case": charge.case_id,
        "defendant": charge.defendant_id,
        "court": charge.case.court_id,
        "court_level": charge.case.court.level,
        "kind": DecisionKind.CONVICTION,
        "date": "2024-05-01",
        "charges": [charge.pk],
    }
    assert client.post(url, data).status_code == 302

    response = client.get("/admin/")

    decision = Decision.objects.get()
    assert f"/admin/hearings/decision/{decision.pk}/change/" in section(response, "mine")
    assert f"/admin/hearings/decision/{decision.pk}/change/" not in section(response, "recent")


def test_flags_on_one_case_are_grouped_under_the_case(dashboard):
    case = CaseFactory(title="Eighteen flags")
    for _ in range(3):
        ChargeFactory(case=case, needs_review=True, review_note="Article unclear")
    HearingFactory(case=case, needs_review=True, review_note="Date from one source only")

    html = section(dashboard(), "flagged")

    assert html.count("Eighteen flags") == 1
    assert "3 charges" in html
    assert "1 hearing" in html


def test_flags_name_the_latest_note_of_the_group(dashboard):
    case = CaseFactory(title="Noted case")
    ChargeFactory(case=case, needs_review=True, review_note="Older note")
    ChargeFactory(case=case, needs_review=True, review_note="Newest note")

    html = section(dashboard(), "flagged")

    assert "Newest note" in html
    assert "Older note" not in html


def test_log_a_hearing_is_reachable_from_the_dashboard(dashboard):
    html = section(dashboard(), "log")

    assert 'action="/admin/log-hearing/"' in html


def test_the_picker_sends_the_monitor_to_the_case_s_hearing_form(client, monitor):
    case = CaseFactory()
    client.force_login(monitor)

    response = client.get("/admin/log-hearing/", {"case": case.pk})

    assert response.status_code == 302
    assert response["Location"] == f"/admin/cases/case/{case.pk}/log-hearing/"


def test_the_picker_says_what_is_wrong_with_an_unknown_case(client, monitor):
    client.force_login(monitor)

    response = client.get("/admin/log-hearing/", {"case": "999999"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_picker_finds_a_case_by_typing_part_of_its_title(client, monitor):
    case = CaseFactory(title="Trial of the land activists")
    CaseFactory(title="Another trial")
    client.force_login(monitor)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "hearings", "model_name": "hearing", "field_name": "case", "term": "land"},
    )

    assert [r["id"] for r in response.json()["results"]] == [str(case.pk)]
