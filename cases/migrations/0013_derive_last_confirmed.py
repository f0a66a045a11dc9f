"""Derive every cited record's ``last_confirmed`` from its citations, as cases/citing.py does
for each new citation from now on: the latest day a citation at most as visible as the record
(and its source) confirms, i.e. the end of the period the source covers, else its date."""

from django.db import migrations


def derive(apps, schema_editor):
    Citation = apps.get_model("cases", "Citation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    subjects = Citation.objects.values_list("content_type_id", "object_id").distinct()
    by_type = {}
    for content_type_id, object_id in subjects:
        by_type.setdefault(content_type_id, set()).add(object_id)
    for content_type_id, ids in by_type.items():
        content_type = ContentType.objects.get(pk=content_type_id)
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        if not any(f.name == "last_confirmed" for f in model._meta.fields):
            continue
        for record in model.objects.filter(pk__in=ids).only("pk", "visibility"):
            days = [
                covers_until or date
                for covers_until, date in Citation.objects.filter(
                    content_type_id=content_type_id,
                    object_id=record.pk,
                    visibility__lte=record.visibility,
                    source__visibility__lte=record.visibility,
                ).values_list("source__covers_until", "source__date")
                if covers_until or date
            ]
            if days:
                model.objects.filter(pk=record.pk).update(last_confirmed=max(days))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_source_paragraph_count"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("defendants", "0006_facts_currency_and_certainty"),
        ("hearings", "0004_facts_currency_and_certainty"),
    ]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
