"""One rule, every path: a charge, decision or custody period names a person who is a defendant
in its case, whether it is written in the admin, through the API or by import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Charge
from defendants.models import CustodyPeriod
from hearings.models import Decision
from tests.admin.helpers import (
    admin_form_data,
    as_csv,
    form_errors,
    format_choice,
    with_new_inline_row,
)
from tests.factories import ArticleFactory, CaseFactory, DefendantFactory

pytestmark = pytest.mark.django_db

MESSAGE = "This person is not a defendant in this case. Add them first."


@pytest.fixture
def stranger():
    """A case, and a person who is not a defendant in it."""
    return CaseFactory(), DefendantFactory()


def values_for(model, case, defendant):
    common = {"case": case.pk, "defendant": defendant.pk, "visibility": case.visibility}
    if model is Charge:
        return {**common, "label": "incitement", "status": "pending"}
    if model is Decision:
        return {
            **common,
            "court": case.court_id,
            "court_level": case.court.level,
            "kind": "conviction",
            "date": "2024-05-01",
            "date_precision": "day",
        }
    return {
        **common,
        "kind": "pretrial_detention",
        "start": "2024-01-10",
        "start_precision": "day",
        "end_precision": "day",
    }


@pytest.mark.parametrize("model", [Charge, Decision, CustodyPeriod])
def test_the_admin_add_page_refuses_a_stranger(client, editor, stranger, model):
    case, defendant = stranger
    client.force_login(editor)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    data = {**admin_form_data(client.get(url)), **values_for(model, case, defendant)}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["defendant"] == [MESSAGE]
    assert not model.objects.exists()


@pytest.mark.parametrize("model", [Charge, Decision, CustodyPeriod])
def test_the_case_page_inline_refuses_a_stranger(client, editor, stranger, model):
    case, defendant = stranger
    client.force_login(editor)
    url = f"/admin/cases/case/{case.pk}/change/"
    values = values_for(model, case, defendant)
    del values["case"]
    data = with_new_inline_row(client.get(url), model, **values)

    response = client.post(url, data)

    assert response.status_code == 200
    assert MESSAGE in form_errors(response)
    assert not model.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "model"), [("decisions", Decision), ("custody-periods", CustodyPeriod)]
)
def test_the_api_refuses_a_stranger(monitor_api, stranger, endpoint, model):
    case, defendant = stranger
    payload = values_for(model, case, defendant)
    payload.pop("end_precision", None)

    response = monitor_api.post(f"/api/v1/{endpoint}/", payload, format="json")

    assert response.status_code == 400
    assert response.data["defendant"] == [MESSAGE]
    assert not model.objects.exists()


@pytest.mark.parametrize("model", [Charge, CustodyPeriod])
def test_an_import_refuses_a_stranger(client, editor, stranger, model):
    case, defendant = stranger
    client.force_login(editor)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/import/"
    row = {**values_for(model, case, defendant), "id": ""}
    if model is Charge:
        row["article"] = ArticleFactory().pk
    form = client.get(url).context["form"]

    preview = client.post(
        url,
        {
            "resource": "0",
            "format": format_choice(form, "csv"),
            "import_file": SimpleUploadedFile("rows.csv", as_csv([row])),
        },
    )

    assert "confirm_form" not in preview.context
    assert MESSAGE in preview.content.decode()
    assert not model.objects.exists()
