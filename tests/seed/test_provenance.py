"""Where every seeded fact comes from, who may see it, and that it is told in our own words."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from cases.models import (
    Article,
    Case,
    CaseDefendant,
    Charge,
    Citation,
    ReportedFigure,
    Source,
)
from defendants.models import Affiliation, CustodyPeriod, Defendant
from hearings.models import Decision, Hearing

pytestmark = pytest.mark.django_db

FACT_MODELS = [
    Case,
    CaseDefendant,
    Defendant,
    Affiliation,
    Charge,
    CustodyPeriod,
    Hearing,
    Decision,
    ReportedFigure,
]

REPORT_DIR = Path(settings.BASE_DIR).parent / "shared" / "report"


def report():
    return Source.objects.get(publisher="Human Rights Council, fifty-seventh session")


def test_the_report_is_a_public_source_with_its_title_body_and_date():
    source = report()

    assert source.title.startswith("Role and achievements of the Office of the United Nations")
    assert source.date == datetime.date(2024, 8, 26)
    assert source.date_precision == "day"
    assert source.visibility == 0


def test_the_document_symbol_is_left_empty_rather_than_guessed():
    assert report().symbol == ""


@pytest.mark.parametrize("model", FACT_MODELS, ids=lambda m: m.__name__)
def test_every_seeded_fact_cites_the_report_with_a_paragraph(model):
    source = report()
    content_type = ContentType.objects.get_for_model(model)
    records = model.objects.all()

    assert records.exists()
    for record in records:
        citations = Citation.objects.filter(content_type=content_type, object_id=record.pk)
        assert citations.filter(source=source).exclude(paragraph="").exists(), record


def test_every_cited_article_cites_the_paragraph_that_cites_it():
    article = Article.objects.get(number="437 bis")

    assert list(article.citations.values_list("paragraph", flat=True)) == ["39"]


@pytest.mark.parametrize("model", [*FACT_MODELS, Citation, Source], ids=lambda m: m.__name__)
def test_every_seeded_record_is_public(model):
    assert set(model.objects.values_list("visibility", flat=True)) == {0}


def test_no_article_gets_an_offence_class_or_penalty_without_a_source_for_it():
    # The seed gives these only with a citation of the Criminal Code itself.
    for article in Article.objects.all():
        unsourced = not article.citations.exclude(source=report()).exists()
        if unsourced:
            assert article.offence_class == "unknown", article
            assert article.penalty_min_months is None, article
            assert article.penalty_max_months is None, article
            assert article.fine_min_riel is None, article
            assert article.fine_max_riel is None, article


# --- The report's contradictions are flagged, not corrected ---------------------------------------


def test_para_42_label_with_articles_494_and_495_is_kept_and_flagged():
    charges = Charge.objects.filter(defendant__name="Chhim Sithar")

    assert {c.label for c in charges} == {"incitement to disturb social security"}
    assert {c.article.number for c in charges} == {"494", "495"}
    assert all(c.needs_review and c.review_note for c in charges)


def test_para_38_incitement_to_discriminate_under_495_is_kept_and_flagged():
    charge = Charge.objects.get(defendant__name="Chhorn Phalla", article__number="495")

    assert charge.label == "incitement to discriminate"
    assert charge.needs_review
    assert "496" in charge.review_note


def test_para_40_defamation_under_302_is_kept_and_flagged():
    charge = Charge.objects.get(defendant__name="Ny Nak", article__number="302")

    assert charge.label == "defamation"
    assert charge.needs_review
    assert "305" in charge.review_note


def test_consistent_pairings_are_not_flagged():
    charge = Charge.objects.get(defendant__name="Ny Nak", article__number="496")

    assert charge.label == "incitement to discriminate"
    assert not charge.needs_review


# --- In our own words ---------------------------------------------------------------------------


def words(text):
    text = text.replace("’", "'").replace("‘", "'")
    return re.findall(r"[\w']+", text.lower())


def our_texts():
    for case in Case.objects.all():
        yield f"summary of {case}", case.summary
    for defendant in Defendant.objects.all():
        yield f"description of {defendant}", defendant.description
    for link in CaseDefendant.objects.all():
        yield f"note on {link}", link.note
    for period in CustodyPeriod.objects.all():
        yield f"note on {period}", period.note
    for hearing in Hearing.objects.all():
        yield f"outcome of {hearing}", hearing.outcome
    for decision in Decision.objects.all():
        yield f"summary of {decision}", decision.summary


def copied_runs(length=8):
    """Every run of ``length`` words that a seeded text shares with the report."""
    files = sorted(REPORT_DIR.glob("*.txt")) if REPORT_DIR.is_dir() else []
    if not files:
        pytest.skip(f"the report text is not at {REPORT_DIR} (it lives outside the repository)")
    report_words = words(" ".join(f.read_text(encoding="utf-8") for f in files))
    runs = {tuple(report_words[i : i + length]) for i in range(len(report_words) - length + 1)}
    copied = []
    for where, text in our_texts():
        ours = words(text)
        copied += [
            f"{where}: {' '.join(ours[i : i + length])}"
            for i in range(len(ours) - length + 1)
            if tuple(ours[i : i + length]) in runs
        ]
    return copied


def test_no_summary_or_description_copies_eight_words_of_the_report():
    assert copied_runs() == []


def test_the_copy_check_catches_a_copied_sentence():
    case = Case.objects.get(defendant_count_is_minimum=True)
    case.summary = "The villagers had been evicted in a land-related dispute in Preah Vihear."
    case.save()

    assert copied_runs() != []


def test_article_495s_penalty_and_class_cite_their_public_source():
    from cases.models import Article

    article = Article.objects.get(law__short_name="Criminal Code", number="495")

    assert (article.offence_class, article.penalty_min_months, article.penalty_max_months) == (
        "misdemeanour",
        6,
        24,
    )
    assert article.citations.filter(source__publisher="Southeast Asian Press Alliance").exists()


def test_articles_without_a_public_penalty_source_stay_unknown():
    from cases.models import Article

    article = Article.objects.get(law__short_name="Criminal Code", number="439")

    assert (article.offence_class, article.penalty_max_months) == ("unknown", None)
