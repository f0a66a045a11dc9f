"""Import and export (CSV, XLSX) of records in the admin: Editors only, safe to open in a
spreadsheet, and no import can overwrite a record someone changed since it was exported."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages

from cases.models import Case
from tests.factories import CaseFactory

from .helpers import (
    CONFIRM_URL,
    EXPORT_URL,
    IMPORT_URL,
    as_csv,
    confirm,
    csv_rows,
    export,
    upload,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x")'


def test_an_editor_exports_the_case_list_as_csv(client, editor):
    cases = [CaseFactory(title="Alpha"), CaseFactory(title="Beta")]
    client.force_login(editor)

    rows = csv_rows(export(client, "csv"))

    assert [(int(r["id"]), r["title"]) for r in rows] == [(c.pk, c.title) for c in cases]


def test_an_editor_exports_the_case_list_as_xlsx(client, editor):
    cases = [CaseFactory(title="Alpha"), CaseFactory(title="Beta")]
    client.force_login(editor)

    rows = xlsx_rows(export(client, "xlsx"))

    assert [(r["id"].value, r["title"].value) for r in rows] == [(c.pk, c.title) for c in cases]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", [EXPORT_URL, IMPORT_URL, CONFIRM_URL])
def test_a_monitor_can_neither_import_nor_export(client, monitor, method, url):
    CaseFactory()
    client.force_login(monitor)

    response = getattr(client, method)(url)

    # The confirm step accepts only POST; every other refusal is a 403.
    assert response.status_code == (405 if (url, method) == (CONFIRM_URL, "get") else 403)


def test_a_monitor_is_not_offered_import_or_export_on_the_list(client, monitor):
    CaseFactory()
    client.force_login(monitor)

    page = client.get("/admin/cases/case/").content.decode()

    assert IMPORT_URL not in page
    assert EXPORT_URL not in page


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_export_neutralises_cells_a_spreadsheet_would_run(client, editor, prefix):
    CaseFactory(title=prefix + 'HYPERLINK("http://x")')
    client.force_login(editor)

    (row,) = csv_rows(export(client, "csv"))

    assert row["title"] == "'" + prefix + 'HYPERLINK("http://x")'


def test_xlsx_export_neutralises_formulas(client, editor):
    CaseFactory(title=FORMULA)
    client.force_login(editor)

    (row,) = xlsx_rows(export(client, "xlsx"))

    assert row["title"].value == "'" + FORMULA
    assert row["title"].data_type == "s"  # a string, not a formula


def test_export_leaves_ordinary_text_alone(client, editor):
    CaseFactory(title="Prosecution of 3 union leaders = test")
    client.force_login(editor)

    (row,) = csv_rows(export(client, "csv"))

    assert row["title"] == "Prosecution of 3 union leaders = test"


def test_the_import_preview_changes_nothing(client, editor):
    case = CaseFactory(title="Old title")
    client.force_login(editor)
    (row,) = csv_rows(export(client, "csv"))

    response = upload(client, as_csv([{**row, "title": "New title"}]))

    assert response.status_code == 200
    assert response.context["result"].totals["update"] == 1
    assert "confirm_form" in response.context
    case.refresh_from_db()
    assert (case.title, case.version, case.history.count()) == ("Old title", 1, 1)


def test_confirming_the_import_saves_the_rows(client, editor):
    case = CaseFactory(title="Old title")
    client.force_login(editor)
    (row,) = csv_rows(export(client, "csv"))
    preview = upload(client, as_csv([{**row, "title": "New title"}]))

    response = confirm(client, preview)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.version) == ("New title", 2)


def test_an_xlsx_file_can_be_imported(client, editor):
    case = CaseFactory(title="Old title")
    client.force_login(editor)
    exported = export(client, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    title_column = [c.value for c in sheet[1]].index("title") + 1
    sheet.cell(row=2, column=title_column, value="New title")
    edited = io.BytesIO()
    book.save(edited)

    preview = upload(client, edited.getvalue(), name="cases.xlsx", file_format="xlsx")
    confirm(client, preview)

    case.refresh_from_db()
    assert case.title == "New title"


def test_a_formula_like_value_survives_export_and_import(client, editor):
    case = CaseFactory(
        title=FORMULA, summary="- detained since March", review_note="'=typed with a quote"
    )
    client.force_login(editor)
    (row,) = csv_rows(export(client, "csv"))

    confirm(client, upload(client, as_csv([{**row, "case_number": "123/2024"}])))

    case.refresh_from_db()
    assert (case.case_number, case.title, case.summary, case.review_note) == (
        "123/2024",
        FORMULA,
        "- detained since March",
        "'=typed with a quote",
    )


def test_a_stale_row_is_refused_at_the_preview(client, editor):
    case = CaseFactory(title="Old title")
    client.force_login(editor)
    (row,) = csv_rows(export(client, "csv"))
    case.title = "Changed since the export"
    case.save()

    response = upload(client, as_csv([{**row, "title": "From the file"}]))

    result = response.context["result"]
    assert result.has_errors()
    assert "Someone else saved this record" in str(result.row_errors()[0][1][0].error)
    assert "confirm_form" not in response.context
    case.refresh_from_db()
    assert case.title == "Changed since the export"


def test_a_row_gone_stale_between_preview_and_confirm_is_refused(client, editor):
    case = CaseFactory(title="Old title")
    client.force_login(editor)
    (row,) = csv_rows(export(client, "csv"))
    preview = upload(client, as_csv([{**row, "title": "From the file"}]))
    case.title = "Changed since the preview"
    case.save()

    response = confirm(client, preview)

    case.refresh_from_db()
    assert case.title == "Changed since the preview"
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Someone else saved this record" in m for m in shown), shown


def test_a_row_without_a_version_column_is_imported_without_the_check(client, editor):
    case = CaseFactory(title="Old title")
    case.save()
    client.force_login(editor)

    confirm(
        client,
        upload(client, as_csv([{"id": case.pk, "title": "New title", "status": case.status}])),
    )

    assert Case.objects.get(pk=case.pk).title == "New title"
