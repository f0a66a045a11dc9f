"""Snippets: escaped first, then the words found marked; a window around the first match."""

from search.snippets import snippet


def test_the_words_found_are_marked_whatever_their_case():
    assert snippet(["Kem Sokha was arrested"], ["sokha", "ARRESTED"]) == (
        "Kem <mark>Sokha</mark> was <mark>arrested</mark>"
    )


def test_the_text_is_escaped_before_marking():
    html = snippet(["<b>Vorak</b> & co"], ["Vorak"])

    assert html == "&lt;b&gt;<mark>Vorak</mark>&lt;/b&gt; &amp; co"


def test_a_word_that_looks_like_markup_is_escaped_too():
    assert snippet(["a <mark> tag"], ["<mark>"]) == "a <mark>&lt;mark&gt;</mark> tag"


def test_a_long_text_is_cut_around_the_first_match():
    text = " ".join(["filler"] * 100) + " Vorak " + " ".join(["after"] * 100)

    html = snippet([text], ["Vorak"])

    assert html.startswith("…") and html.endswith("…")
    assert "<mark>Vorak</mark>" in html
    assert len(html) < 220


def test_the_first_text_with_a_match_is_shown():
    assert snippet(["nothing here", "", "Vorak here"], ["Vorak"]) == "<mark>Vorak</mark> here"


def test_without_a_match_the_first_text_is_shown_unmarked():
    assert snippet(["", "Kem Sokha"], ["Kim"]) == "Kem Sokha"


def test_khmer_words_are_marked_inside_longer_runs():
    assert snippet(["សកម្មជនដីធ្លី"], ["ដីធ្លី"]) == "សកម្មជន<mark>ដីធ្លី</mark>"
