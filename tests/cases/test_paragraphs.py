"""Nothing new is cited to a paragraph the source does not have (#14)."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CaseFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def citation(paragraph, count=75):
    return CitationFactory.build(
        source=SourceFactory(paragraph_count=count), paragraph=paragraph, subject=CaseFactory()
    )


@pytest.mark.parametrize("paragraph", ["1", "40", "75", "40-41", "34, 35"])
def test_paragraphs_within_the_count_are_accepted(paragraph):
    citation(paragraph).full_clean()


@pytest.mark.parametrize("paragraph", ["76", "0", "40-90", "", "annex"])
def test_a_paragraph_outside_the_count_or_none_is_refused(paragraph):
    with pytest.raises(ValidationError) as refused:
        citation(paragraph).full_clean()

    assert "paragraph" in refused.value.message_dict


def test_a_source_whose_paragraphs_are_not_counted_takes_any_paragraph():
    citation("120", count=None).full_clean()
