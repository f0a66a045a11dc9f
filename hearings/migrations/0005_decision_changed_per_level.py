"""When a decision last changed as each level sees it (core.models.ContainerModel). Each
existing decision starts from its ``updated_at``: until now nothing it names moved it for one
level only."""

from django.db import migrations
from django.db.models import F

import core.models


def from_updated_at(apps, schema_editor):
    apps.get_model("hearings", "Decision")._base_manager.update(
        changed_public=F("updated_at"),
        changed_partners=F("updated_at"),
        changed_monitors=F("updated_at"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0004_facts_currency_and_certainty"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="changed_monitors",
            field=core.models.ChangedAtField(verbose_name="changed as monitors see it"),
        ),
        migrations.AddField(
            model_name="decision",
            name="changed_partners",
            field=core.models.ChangedAtField(verbose_name="changed as partners see it"),
        ),
        migrations.AddField(
            model_name="decision",
            name="changed_public",
            field=core.models.ChangedAtField(verbose_name="changed as the public sees it"),
        ),
        migrations.RunPython(from_updated_at, migrations.RunPython.noop),
    ]
