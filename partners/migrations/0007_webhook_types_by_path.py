"""Queued webhook deliveries name their record type as partners now see it everywhere: by its
API path ("hearings"), no longer the singular ("hearing")."""

from django.db import migrations

PATHS = {
    "case": "cases",
    "case-defendant": "case-defendants",
    "charge": "charges",
    "citation": "citations",
    "source": "sources",
    "defendant": "defendants",
    "affiliation": "affiliations",
    "custody-period": "custody-periods",
    "hearing": "hearings",
    "decision": "decisions",
    "organisation": "organisations",
}


def forwards(apps, schema_editor):
    WebhookDelivery = apps.get_model("partners", "WebhookDelivery")
    for name, path in PATHS.items():
        WebhookDelivery.objects.filter(record_type=name).update(record_type=path)


def backwards(apps, schema_editor):
    WebhookDelivery = apps.get_model("partners", "WebhookDelivery")
    for name, path in PATHS.items():
        WebhookDelivery.objects.filter(record_type=path).update(record_type=name)


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_webhook_destinations_cancelled")]

    operations = [migrations.RunPython(forwards, backwards)]
