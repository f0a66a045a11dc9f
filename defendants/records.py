"""The record types of the defendants app, and its models that are not records
(core/registry.py)."""

from core.registry import internal, register

register(
    "defendant",
    "defendants.Defendant",
    path="defendants",
    viewset="defendants.api.views.DefendantViewSet",
    synced=True,
    exported=True,
    dashboard=True,
    # Its list gives its affiliations and the ids of its cases (through the links); its
    # detail adds charges, custody periods and decisions.
    nests=(
        ("affiliation", "affiliations"),
        ("case-defendant", "case_links"),
        ("charge", "charges"),
        ("custody-period", "custody_periods"),
        ("decision", "decisions"),
        # Reference data it shows: its province, its organisations, its charges' articles.
        ("province", "province"),
        ("organisation", "affiliations__organisation", ("affiliation", "affiliations")),
        ("article", "charges__article", ("charge", "charges")),
        ("law", "charges__article__law", ("charge", "charges")),
    ),
)
register(
    "affiliation",
    "defendants.Affiliation",
    path="affiliations",
    viewset="defendants.api.views.AffiliationViewSet",
    synced=True,
)
register(
    "custody-period",
    "defendants.CustodyPeriod",
    path="custody-periods",
    viewset="defendants.api.views.CustodyPeriodViewSet",
    synced=True,
    exported=True,
    dashboard=True,
    monitor_writes=True,
)
# Reference data.
register(
    "organisation",
    "defendants.Organisation",
    path="organisations",
    viewset="defendants.api.views.OrganisationViewSet",
)
# The law's limits on pretrial detention: the detention clock is computed from them.
register("detention-rule", "defendants.DetentionRule")

internal(
    "defendants.DetentionAlert",
    "a warning the detention sweep raises for monitors; no page or API answer shows it",
)
