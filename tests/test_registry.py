"""One registry says which record types there are (core/registry.py); sync, webhooks, exports,
the dashboard, the change counter, roles and the API read it. These tests keep it complete and
keep the README's sync recipe in step with it."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from core import registry

TRACKER_APPS = (
    "core",
    "cases",
    "defendants",
    "hearings",
    "fairtrial",
    "documents",
    "partners",
    "reads",
    "public",
    "workspace",
    "exchange",
    "ops",
)
README = Path(__file__).resolve().parent.parent / "README.md"


def tracker_models():
    """Every concrete model of the tracker's apps, without simple_history's copies and the
    many-to-many tables Django makes by itself."""
    return [
        model
        for label in TRACKER_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
        and not model._meta.auto_created
    ]


def test_every_model_is_registered_or_marked_internal():
    assert tracker_models()  # the check below means nothing on an empty list
    unaccounted = [
        model._meta.label
        for model in tracker_models()
        if registry.for_model(model) is None and not registry.is_internal(model)
    ]

    assert unaccounted == []


def test_nothing_is_both_registered_and_internal():
    both = [t.model for t in registry.record_types() if registry.is_internal(t.model_class)]

    assert both == []


def test_type_names_and_paths_are_unique():
    types = registry.record_types()
    paths = [t.path for t in types if t.path]

    assert len({t.name for t in types}) == len(types)
    assert len(set(paths)) == len(paths)


def test_every_synced_type_has_an_api_endpoint():
    missing = [t.name for t in registry.synced() if not (t.path and t.viewset)]

    assert missing == []


def test_a_type_is_found_by_name_and_by_model():
    case = registry.get("case")

    assert case.model_class is apps.get_model("cases.Case")
    assert registry.for_model(apps.get_model("cases.CaseDefendant")).name == "case-defendant"
    with pytest.raises(KeyError):
        registry.get("nothing")


def recipe_kinds():
    """The kinds the README's "Incremental sync" recipe fetches."""
    text = README.read_text()
    section = text.split("### Incremental sync", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"for kind in \[(.*?)\]:", section, re.S)
    assert found, "the README's sync recipe no longer has a `for kind in [...]` loop"
    return re.findall(r'"([a-z-]+)"', found.group(1))


def test_the_readme_sync_recipe_fetches_every_synced_type():
    assert sorted(recipe_kinds()) == sorted(t.path for t in registry.synced())
