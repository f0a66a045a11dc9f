"""Version 1 of the fair-trial checklist.

Each item cites the international standard it comes from: the International Covenant on Civil
and Political Rights (ICCPR), the UN Basic Principles on the Role of Lawyers (1990), and the
OSCE/ODIHR manual "Trial Monitoring: A Reference Manual for Practitioners". The Cambodian Code
of Criminal Procedure column and the Khmer text are left empty until someone checks them
against the Code and a reviewed translation: the interface marks such items "English only".

The data is written out here, not read from the code, so that this migration keeps loading
version 1 as it was whatever later versions say.
"""

from django.db import migrations
from django.utils import timezone

BASIC_PRINCIPLES = "UN Basic Principles on the Role of Lawyers"

# (stage, code, English text, standard)
ITEMS = [
    (
        "before_trial",
        "reasons-for-arrest",
        "The defendant was told, at arrest, the reasons for the arrest and promptly of the "
        "charges.",
        "ICCPR art. 9(2)",
    ),
    (
        "before_trial",
        "notice-of-charges",
        "The defendant was informed promptly and in detail, in a language they understand, of "
        "the nature and cause of the charges.",
        "ICCPR art. 14(3)(a)",
    ),
    (
        "before_trial",
        "lawyer-from-arrest",
        "The defendant had prompt access to a lawyer from arrest, and was told of that right.",
        f"{BASIC_PRINCIPLES}, principles 1, 5 and 7",
    ),
    (
        "before_trial",
        "time-and-facilities",
        "The defence had adequate time and facilities to prepare, including confidential "
        "meetings with the lawyer and access to the case file.",
        f"ICCPR art. 14(3)(b); {BASIC_PRINCIPLES}, principles 8 and 21",
    ),
    (
        "before_trial",
        "brought-before-judge",
        "The detained defendant was brought promptly before a judge.",
        "ICCPR art. 9(3)",
    ),
    (
        "before_trial",
        "detention-justified",
        "Pretrial detention was justified as necessary in the individual case, not the general "
        "rule, and its lawfulness could be reviewed by a court.",
        "ICCPR art. 9(3) and 9(4)",
    ),
    (
        "hearing",
        "public-hearing",
        "The hearing was public: the public and observers were admitted, or a closure was "
        "justified on a ground the Covenant allows.",
        "ICCPR art. 14(1)",
    ),
    (
        "hearing",
        "independent-impartial",
        "The court appeared independent and impartial.",
        "ICCPR art. 14(1)",
    ),
    (
        "hearing",
        "presumption-in-court",
        "The defendant was presumed innocent in court: not handcuffed or shackled without "
        "need, not made to wear prison uniform, not treated by the court as guilty.",
        "ICCPR art. 14(2)",
    ),
    (
        "hearing",
        "presumption-officials",
        "No official spoke publicly of the defendant as guilty before judgment.",
        "ICCPR art. 14(2)",
    ),
    (
        "hearing",
        "lawyer-at-trial",
        "The defendant was defended by a lawyer of their choice, or one assigned free of "
        "charge where the interests of justice required it.",
        "ICCPR art. 14(3)(d)",
    ),
    (
        "hearing",
        "present-at-trial",
        "The defendant was present at the trial.",
        "ICCPR art. 14(3)(d)",
    ),
    (
        "hearing",
        "interpreter",
        "The defendant had a free interpreter when they did not understand or speak the "
        "language of the court.",
        "ICCPR art. 14(3)(f)",
    ),
    (
        "hearing",
        "witnesses",
        "The defence could examine the prosecution's witnesses and call its own on the same "
        "conditions.",
        "ICCPR art. 14(3)(e)",
    ),
    (
        "hearing",
        "no-compelled-confession",
        "No statement obtained by coercion was relied on; the defendant was not compelled to "
        "testify against themselves or to confess guilt.",
        "ICCPR art. 14(3)(g)",
    ),
    (
        "hearing",
        "undue-delay",
        "The defendant was tried without undue delay.",
        "ICCPR art. 14(3)(c)",
    ),
    (
        "hearing",
        "juvenile-safeguards",
        "A juvenile defendant was tried by a procedure that took account of their age and the "
        "aim of their rehabilitation.",
        "ICCPR art. 14(4)",
    ),
    (
        "judgment",
        "public-reasoned-judgment",
        "The judgment was made public and gave its reasons.",
        "ICCPR art. 14(1); OSCE/ODIHR, Trial Monitoring: A Reference Manual for Practitioners",
    ),
    (
        "judgment",
        "no-retroactive-offence",
        "The conduct was a criminal offence in law when it was committed, and no heavier "
        "penalty was imposed than the one then applicable.",
        "ICCPR art. 15(1)",
    ),
    (
        "judgment",
        "no-double-jeopardy",
        "The defendant was not tried or punished again for an offence of which they had "
        "already been finally convicted or acquitted.",
        "ICCPR art. 14(7)",
    ),
    (
        "appeal",
        "right-to-appeal",
        "The conviction and sentence could be reviewed by a higher court.",
        "ICCPR art. 14(5)",
    ),
]


def remember(apps, record):
    """A creation entry in the record's history, as every write path leaves one."""
    History = apps.get_model("fairtrial", f"Historical{type(record).__name__}")
    columns = {field.attname for field in History._meta.concrete_fields}
    values = {
        field.attname: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.attname in columns
    }
    History.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Checklist version 1",
    )


def load(apps, schema_editor):
    Version = apps.get_model("fairtrial", "ChecklistVersion")
    Item = apps.get_model("fairtrial", "ChecklistItem")
    version, created = Version.objects.get_or_create(
        number=1, defaults={"title": "Fair-trial checklist"}
    )
    if not created:
        return
    remember(apps, version)
    for position, (stage, code, text, standard) in enumerate(ITEMS, start=1):
        item = Item.objects.create(
            checklist=version,
            stage=stage,
            position=position,
            code=code,
            text_en=text,
            standard=standard,
        )
        remember(apps, item)


def unload(apps, schema_editor):
    Version = apps.get_model("fairtrial", "ChecklistVersion")
    Item = apps.get_model("fairtrial", "ChecklistItem")
    Item.objects.filter(checklist__number=1).delete()
    Version.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("fairtrial", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
