"""The Khmer catalogue is complete and current: every string the code and templates mark for
translation has a Khmer translation, none is fuzzy, every placeholder survives translation,
and the compiled catalogue the site reads (django.mo) is the one the .po file compiles to.

`make messages` updates the catalogue after a change to the interface's strings."""

import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "km" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# What `make messages` leaves out of the catalogue: not the site's interface.
IGNORED = (".venv", "var", "tests", "bench", "loadtest", "node_modules")


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def label(entry):
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid[:70]!r}"


def test_every_string_has_a_khmer_translation():
    missing = [label(e) for e in entries() if not e.translated() and "fuzzy" not in e.flags]
    assert not missing, f"{len(missing)} untranslated: {missing[:20]}"


def test_no_translation_is_fuzzy():
    fuzzy = [label(e) for e in entries() if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_every_translation_keeps_the_placeholders_of_its_english():
    wrong = []
    for entry in entries():
        english = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wrong += [
            label(entry) for khmer in translations if sorted(PLACEHOLDER.findall(khmer)) != english
        ]
    assert not wrong, f"placeholders differ: {wrong[:20]}"


def test_the_compiled_catalogue_is_the_current_one(tmp_path):
    compiled = tmp_path / "django.mo"
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(compiled))
    expected = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(compiled))
    }
    shipped = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(COMPILED))
    }
    assert shipped == expected, "django.mo is stale: run `make messages`"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_the_catalogue_holds_every_string_of_the_code_and_no_other(tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*IGNORED, ".git", "*.pyc", "static")
    )
    ignore = [arg for name in IGNORED for arg in ("--ignore", name)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "km", "--no-location", *ignore],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "km" / "LC_MESSAGES" / "django.po"))
    current = {(e.msgctxt, e.msgid) for e in fresh if not e.obsolete}
    held = {(e.msgctxt, e.msgid) for e in entries()}
    assert current - held == set(), "strings missing from the catalogue: run `make messages`"
    assert held - current == set(), "strings no longer in the code: run `make messages`"
