"""The default pretrial-detention limits for adults, with their legal source.

Code of Criminal Procedure of the Kingdom of Cambodia (2007): art. 208 (felonies) and art. 209
(misdemeanours), as summarised by the International Commission of Jurists. No rule for minors
is set: their limits need a checked source first. Editors can change these rules in the admin.
"""

from django.db import migrations

SOURCE = {
    "title": (
        "Code of Criminal Procedure of the Kingdom of Cambodia (2007), articles 208 and 209, "
        "as summarised in the International Commission of Jurists' overview of Cambodia's "
        "security laws"
    ),
    "short_title": "Code of Criminal Procedure, arts. 208-209 (ICJ summary)",
    "publisher": "International Commission of Jurists",
    "url": "https://www.icj.org/south-east-asia-security-laws/cambodia-southeast-asia-security-laws/",
    "note": (
        "Pretrial detention for misdemeanours may last up to half the minimum sentence of the "
        "offence charged (art. 209) and for felonies up to 18 months (art. 208)."
    ),
}

RULES = [
    {
        "name": "Adult charged with a misdemeanour",
        "offence_class": "misdemeanour",
        "base_months": 4,
        "extension_months": 2,
        "max_extensions": 1,
        "max_total_months": 6,
        "max_fraction_of_minimum_sentence": "0.50",
        "source_note": (
            "Code of Criminal Procedure art. 209: four months, which the investigating judge "
            "may extend once by two months, and never more than half the minimum sentence."
        ),
    },
    {
        "name": "Adult charged with a felony",
        "offence_class": "felony",
        "base_months": 6,
        "extension_months": 6,
        "max_extensions": 2,
        "max_total_months": 18,
        "max_fraction_of_minimum_sentence": None,
        "source_note": (
            "Code of Criminal Procedure art. 208: six months, extendable by six months at a "
            "time, eighteen months in all."
        ),
    },
]


def record_creation(apps, app_label, model_name, obj):
    """Write the history row a save through the app would have written."""
    from django.utils import timezone

    Historical = apps.get_model(app_label, f"Historical{model_name}")
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    Historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="migration: default pretrial detention rules",
    )


def add_rules(apps, schema_editor):
    Source = apps.get_model("cases", "Source")
    DetentionRule = apps.get_model("defendants", "DetentionRule")
    source, created = Source.objects.get_or_create(
        title=SOURCE["title"],
        defaults={**{k: v for k, v in SOURCE.items() if k != "title"}, "visibility": 0},
    )
    if created:
        record_creation(apps, "cases", "Source", source)
    for rule in RULES:
        obj, created = DetentionRule.objects.get_or_create(
            offence_class=rule["offence_class"],
            for_minors=False,
            is_active=True,
            defaults={**rule, "source": source},
        )
        if created:
            record_creation(apps, "defendants", "DetentionRule", obj)


def remove_rules(apps, schema_editor):
    DetentionRule = apps.get_model("defendants", "DetentionRule")
    DetentionRule.objects.filter(name__in=[r["name"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("defendants", "0003_detention_rules_and_alerts"),
        ("cases", "0009_exportjob"),
    ]

    operations = [migrations.RunPython(add_rules, remove_rules)]
