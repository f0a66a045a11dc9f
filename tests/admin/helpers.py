"""Turning an admin page the test client fetched into the POST a browser would send back."""

import csv
import datetime
import io

import openpyxl
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

MULTIPLE_CHOICE_FIELDS = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def form_data(form):
    """What a browser would post back, unchanged, from one Django form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field, MULTIPLE_CHOICE_FIELDS) and value is None:
            value = []
        if isinstance(value, bool):
            # An unticked checkbox is simply absent from a browser's POST.
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [_as_post_value(v) for v in value]
        else:
            data[key] = _as_post_value(value)
    return data


def admin_form_data(response):
    """The data a browser would post back, unchanged, from an admin add or change page: the
    main form's fields and every inline formset with its management form."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def inline_prefix(response, model):
    """The form prefix of the inline editing ``model`` on an admin page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(f"no inline for {model.__name__}")


def inline_forms(response, model):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.forms
    raise LookupError(f"no inline for {model.__name__}")


def form_errors(response):
    """Every error message of an admin page that refused a POST, as one list of strings."""
    messages = []
    context = response.context
    if "adminform" in context:
        form = context["adminform"].form
        for errors in form.errors.values():
            messages.extend(errors)
        for inline in context["inline_admin_formsets"]:
            formset = inline.formset
            messages.extend(formset.non_form_errors())
            for form in formset.forms:
                for errors in form.errors.values():
                    messages.extend(errors)
    else:
        for key in ("form", "outcome_forms"):
            forms = context.get(key)
            forms = forms if isinstance(forms, list) else [forms] if forms else []
            for form in forms:
                for errors in form.errors.values():
                    messages.extend(errors)
    return messages


# --- Import and export of the case list (django-import-export's admin pages) -------------

EXPORT_URL = "/admin/cases/case/export/"
IMPORT_URL = "/admin/cases/case/import/"
CONFIRM_URL = "/admin/cases/case/process_import/"


def format_choice(form, name):
    """The value of the ``name`` ("csv", "xlsx") option of an import or export form."""
    return next(value for value, label in form.fields["format"].choices if label == name)


def export(client, file_format):
    """Export the case list, every column, the way the admin's export page does."""
    form = client.get(EXPORT_URL).context["form"]
    data = form_data(form)
    # Only sent when the export starts from the list's "export selected" action.
    data.pop("export_items")
    data["format"] = format_choice(form, file_format)
    return client.post(EXPORT_URL, data)


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=True)) for row in rows]


def as_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client, content, name="cases.csv", file_format="csv"):
    """The first step of an import: the file is read and previewed (a dry run)."""
    form = client.get(IMPORT_URL).context["form"]
    return client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": format_choice(form, file_format),
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, preview):
    """The second step: the editor confirms the preview and the rows are saved."""
    return client.post(CONFIRM_URL, form_data(preview.context["confirm_form"]))


def with_new_inline_row(response, model, **values):
    """The POST of an admin page with one more row added to the inline editing ``model``."""
    data = admin_form_data(response)
    prefix = inline_prefix(response, model)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    return data
