"""The admin saves a new fact only with its source (#14): on the fact's own add page, and as
a new row of an inline on a case or person page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import CaseDefendant, Charge, SourceKind
from core.dates import DatePrecision
from defendants.models import CustodyKind, CustodyPeriod
from hearings.models import Hearing, HearingKind
from tests.factories import (
    LOG_OBSERVATION,
    CaseDefendantFactory,
    CaseFactory,
    DefendantFactory,
    SourceFactory,
)

from .helpers import (
    admin_form_data,
    as_csv,
    form_data,
    form_errors,
    format_choice,
    with_new_inline_row,
)

pytestmark = pytest.mark.django_db

HEARING_ADD = "/admin/hearings/hearing/add/"


def hearing_values(case, **values):
    return {
        "case": case.pk,
        "court": case.court_id,
        "date": timezone.localdate().isoformat(),
        "date_precision": DatePrecision.DAY,
        "kind": HearingKind.TRIAL,
        **values,
    }


def bail_row(link):
    return {
        "case": link.case_id,
        "defendant": link.defendant_id,
        "kind": CustodyKind.BAIL,
        "start": "2024-05-01",
        "start_precision": DatePrecision.DAY,
        "end_precision": DatePrecision.DAY,
        "visibility": link.visibility,
    }


def test_a_new_hearing_without_a_source_is_a_form_error(client, monitor):
    case = CaseFactory()
    client.force_login(monitor)
    data = {**admin_form_data(client.get(HEARING_ADD)), **hearing_values(case)}

    response = client.post(HEARING_ADD, data)

    assert response.status_code == 200
    assert "A new record needs a source" in str(response.context["adminform"].form.errors)
    assert not Hearing.objects.exists()


def test_the_add_page_shows_the_source_box(client, monitor):
    client.force_login(monitor)

    page = client.get(HEARING_ADD).content.decode()

    assert "Source for new records" in page
    assert 'name="cite-paragraph"' in page


def test_a_new_hearing_is_cited_to_the_source_and_paragraph_given(client, monitor):
    case = CaseFactory()
    source = SourceFactory(paragraph_count=75)
    client.force_login(monitor)
    data = {
        **admin_form_data(client.get(HEARING_ADD)),
        **hearing_values(case),
        "cite-source": source.pk,
        "cite-paragraph": "38",
    }

    response = client.post(HEARING_ADD, data)

    assert response.status_code == 302
    citation = Hearing.objects.get().citations.get()
    assert (citation.source, citation.paragraph) == (source, "38")


def test_a_paragraph_beyond_the_source_is_a_form_error(client, monitor):
    case = CaseFactory()
    source = SourceFactory(paragraph_count=75)
    client.force_login(monitor)
    data = {
        **admin_form_data(client.get(HEARING_ADD)),
        **hearing_values(case),
        "cite-source": source.pk,
        "cite-paragraph": "80",
    }

    response = client.post(HEARING_ADD, data)

    assert response.status_code == 200
    assert "there is no paragraph 80" in response.content.decode()
    assert not Hearing.objects.exists()


def test_a_new_inline_row_without_a_source_is_refused(client, editor):
    link = CaseDefendantFactory()
    client.force_login(editor)
    url = f"/admin/cases/case/{link.case_id}/change/"
    data = with_new_inline_row(client.get(url), CustodyPeriod, **bail_row(link))

    response = client.post(url, data)

    assert response.status_code == 200
    assert "New custody periods need a source" in response.content.decode()
    assert not CustodyPeriod.objects.exists()


def test_a_new_inline_row_is_cited_to_the_pages_source(client, editor):
    link = CaseDefendantFactory()
    client.force_login(editor)
    url = f"/admin/cases/case/{link.case_id}/change/"
    data = with_new_inline_row(client.get(url), CustodyPeriod, **bail_row(link))

    response = client.post(url, {**data, **LOG_OBSERVATION})

    assert response.status_code == 302, form_errors(response)
    source = CustodyPeriod.objects.get().citations.get().source
    assert (source.kind, source.observer) == (SourceKind.OBSERVATION, editor)


def test_a_case_page_saved_without_new_rows_needs_no_source(client, editor):
    case = CaseFactory(summary="")
    client.force_login(editor)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = {**admin_form_data(client.get(url)), "summary": "Updated summary."}

    response = client.post(url, data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Updated summary."


def test_a_new_charge_row_on_the_case_page_is_cited(client, editor):
    link = CaseDefendantFactory()
    source = SourceFactory(paragraph_count=75)
    client.force_login(editor)
    url = f"/admin/cases/case/{link.case_id}/change/"
    row = {
        "defendant": link.defendant_id,
        "label": "incitement",
        "status": "pending",
        "date_filed_precision": DatePrecision.DAY,
        "visibility": link.visibility,
    }
    data = with_new_inline_row(client.get(url), Charge, **row)

    response = client.post(url, {**data, "cite-source": source.pk, "cite-paragraph": "40"})

    assert response.status_code == 302, form_errors(response)
    charge = Charge.objects.get(label="incitement")
    assert [(c.source, c.paragraph) for c in charge.citations.all()] == [(source, "40")]


def test_an_observation_keeps_the_date_the_monitor_gives(client, monitor):
    # The observation's date is the monitor's: the tracker does not second-guess it.
    case = CaseFactory()
    client.force_login(monitor)
    day = timezone.localdate() - datetime.timedelta(days=2)
    data = {
        **admin_form_data(client.get(HEARING_ADD)),
        **hearing_values(case),
        **LOG_OBSERVATION,
        "cite-observed_on": day.isoformat(),
    }

    client.post(HEARING_ADD, data)

    assert Hearing.objects.get().citations.get().source.date == day


# Import ------------------------------------------------------------------------------------


def import_custody(client, row):
    """Upload one custody row; the confirmation page's context, or the refusal's."""
    base = "/admin/defendants/custodyperiod/"
    form = client.get(base + "import/").context["form"]
    preview = client.post(
        base + "import/",
        {
            "resource": "0",
            "format": format_choice(form, "csv"),
            "import_file": SimpleUploadedFile("custody.csv", as_csv([row])),
        },
    )
    if "confirm_form" not in preview.context:
        return preview
    return client.post(base + "process_import/", form_data(preview.context["confirm_form"]))


def custody_row(link, **values):
    return {**bail_row(link), "id": "", "end": "", "note": "", **values}


def test_an_imported_new_row_without_citation_columns_is_refused(client, editor):
    link = CaseDefendantFactory()
    client.force_login(editor)

    response = import_custody(client, custody_row(link))

    assert "citation_source" in response.content.decode()
    assert not CustodyPeriod.objects.exists()


def test_an_imported_paragraph_beyond_the_source_is_refused(client, editor):
    link = CaseDefendantFactory()
    source = SourceFactory(paragraph_count=75)
    client.force_login(editor)

    response = import_custody(
        client, custody_row(link, citation_source=source.pk, citation_paragraph="99")
    )

    assert "there is no paragraph 99" in response.content.decode()
    assert not CustodyPeriod.objects.exists()


def test_an_imported_new_row_is_cited_to_its_columns(client, editor):
    link = CaseDefendantFactory()
    source = SourceFactory(paragraph_count=75)
    client.force_login(editor)

    import_custody(client, custody_row(link, citation_source=source.pk, citation_paragraph="41"))

    citation = CustodyPeriod.objects.get().citations.get()
    assert (citation.source, citation.paragraph) == (source, "41")


def test_adding_a_defendant_to_a_case_needs_a_source_too(client, editor):
    case = CaseFactory()
    person = DefendantFactory()
    client.force_login(editor)
    url = f"/admin/cases/case/{case.pk}/change/"
    row = {"defendant": person.pk, "visibility": case.visibility}
    data = with_new_inline_row(client.get(url), CaseDefendant, **row)

    refused = client.post(url, data)
    response = client.post(url, {**data, **LOG_OBSERVATION})

    assert refused.status_code == 200
    assert response.status_code == 302, form_errors(response)
    assert CaseDefendant.objects.get(case=case).citations.count() == 1
