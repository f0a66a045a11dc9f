"""Who may see what. This module is the one place that decides it.

Every person, case and fact carries a ``visibility`` level. A viewer has a level too:
anonymous readers see public records, partner organisations see public and partner records,
monitors see everything. Pages, API endpoints and exports read records only through
``VisibleQuerySet.visible_to(viewer)``, which also checks the records a fact hangs on (a public
hearing of a confidential case is not public) and, for a fact about a person in a case, the link
between them (a public charge of a person whose place in the case is confidential is not public).
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

# The project's models that carry no visibility level and are public reference data; the others
# are VisibleModels or workspace machinery declared internal in core/registry.py
# (tests/security/test_visibility_matrix.py checks each model is in exactly one place).
# Reference data: the law, the courts, places, topics and organisations. Those a monitor adds
# along with a record (organisations, articles, courts, laws) are served only while something
# the reader may see uses them (ReferenceQuerySet below).
PUBLIC_REFERENCE_MODELS = frozenset(
    {
        "cases.Province",
        "cases.Law",
        "cases.Article",
        "cases.Court",
        "cases.Tag",
        "defendants.Organisation",
        # Limits the law sets, each citing its legal source.
        "defendants.DetentionRule",
        # The fair-trial checklist: published text, each item citing its standard.
        "fairtrial.ChecklistVersion",
        "fairtrial.ChecklistItem",
    }
)

PARTNER_GROUP = "Partner"
STAFF_GROUPS = ("Monitor", "Editor", "Admin")


class Visibility(models.IntegerChoices):
    PUBLIC = 0, _("public")
    PARTNERS = 1, _("partners")
    MONITORS = 2, _("monitors only")


def level_for(viewer):
    """The highest visibility level ``viewer`` may read.

    ``viewer`` is a user (possibly anonymous or None) or already a ``Visibility`` level.
    """
    if isinstance(viewer, int):
        return Visibility(viewer)
    # A partner organisation's API token acts with a fixed level (partners/models.py).
    fixed = getattr(viewer, "visibility_level", None)
    if fixed is not None:
        return Visibility(fixed)
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Visibility.PUBLIC
    if viewer.is_superuser:
        return Visibility.MONITORS
    # "Staff status" only opens the admin's door; what a person reads comes from their role.
    cached = getattr(viewer, "_visibility_level", None)
    if cached is None:
        groups = {g.name for g in viewer.groups.all()}
        if groups.intersection(STAFF_GROUPS):
            cached = Visibility.MONITORS
        elif PARTNER_GROUP in groups:
            cached = Visibility.PARTNERS
        else:
            cached = Visibility.PUBLIC
        viewer._visibility_level = cached  # asked many times per request: look groups up once
    return cached


# Fields only monitors ever receive, whatever the record's own level: the API drops them for
# every other caller (core/api/base.py), and a change to them alone is a change for monitors
# alone (exchange/changes.py).
MONITOR_ONLY_FIELDS = frozenset(
    {"visibility", "needs_review", "review_note", "monitor_notes", "assigned_monitors", "version"}
)


def visibility_fields(model):
    """The fields of ``model`` that decide who may see a record: its own level, the records it
    hangs on and the link it needs. Changing any of them changes who may see the record, so
    each needs the permission to change visibility."""
    names = ["visibility", *model.visibility_via]
    link = getattr(model, "visibility_link", None)
    if link:
        names += [field for field in link[1:] if field not in names]
    return names


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        return self._gate(level_for(viewer))

    def visible_under(self, viewer, relation, ids):
        """The records hanging on the ``relation`` records ``ids`` (say, the hearings of a page
        of cases) that ``viewer`` may see: the rule of ``visible_to``, written so the database
        checks only those parents (a semi-join on their visible ids) instead of joining the
        whole parent table to check each one."""
        parents = self.model._meta.get_field(relation).related_model
        visible_parents = parents.objects.filter(pk__in=ids).visible_to(viewer).values("pk")
        records = self.filter(**{f"{relation}__in": visible_parents})
        return records._gate(level_for(viewer), checked=relation)

    def _gate(self, level, checked=None):
        """Records at or below ``level`` whose records they hang on are too, except the
        ``checked`` relation, which the query has already restricted to visible records.

        A model declaring ``visibility_link = ("app.Link", "field", ...)`` is a fact about the
        pair of records those fields name (a charge is about a person in a case): it is visible
        only while a ``Link`` row joining the same pair is visible too. The link's fields are
        among the fact's ``visibility_via`` relations, and a fact with no link row is visible to
        monitors only.

        Those relations are checked inside the link's subquery (the link's case and person
        are the fact's), not joined to the fact: PostgreSQL estimates a semi-join on two
        columns as matching almost nothing, and then probed the case and person of each of
        hundreds of thousands of facts one index look-up at a time. Checked in the subquery,
        the visible links are hashed once (the statistics' fair-trial figures at 20,000 cases:
        1.85 s to 0.47 s a query). The records returned are the same."""
        if level >= Visibility.MONITORS:
            return self
        link = getattr(self.model, "visibility_link", None)
        linked = set(link[1:]) if link else set()
        conditions = {"visibility__lte": level}
        for relation in self.model.visibility_via:
            if relation != checked and relation not in linked:
                conditions[f"{relation}__visibility__lte"] = level
        records = self.filter(**conditions)
        if link:
            label, *fields = link
            parents = {f"{field}__visibility__lte": level for field in fields if field != checked}
            links = apps.get_model(label)._default_manager.filter(
                visibility__lte=level,
                **parents,
                **{field: models.OuterRef(field) for field in fields},
            )
            records = records.filter(models.Exists(links))
        return records


class ReferenceQuerySet(models.QuerySet):
    """Reference data with no level of its own, served only while something the reader may see
    uses it: an organisation added for a confidential affiliation, or a court added for a
    confidential case, stays out of sight (a 404, like a missing one) until a record using it
    is shown. A level of its own would let the reference and the records using it disagree,
    and a monitor adding a record would have two levels to set; "used by something visible"
    follows the records by itself.

    A model declares its uses as ``reference_uses = (("app.Model", "field"), ...)``: the
    records whose ``field`` points at it. A use may itself be reference data (a law is used by
    its articles, which are used by charges)."""

    def visible_to(self, viewer):
        level = level_for(viewer)
        if level >= Visibility.MONITORS:
            return self
        used = models.Q(pk__in=[])
        for label, field in self.model.reference_uses:
            users = apps.get_model(label)._default_manager.visible_to(level)
            used |= models.Q(pk__in=users.values(field))
        return self.filter(used)
