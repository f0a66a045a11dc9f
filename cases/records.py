"""The record types of the cases app, and its models that are not records (core/registry.py)."""

from core.registry import internal, register

# The dashboard lists types in the order they are registered.
register(
    "case",
    "cases.Case",
    path="cases",
    viewset="cases.api.views.CaseViewSet",
    synced=True,
    exported=True,
    dashboard=True,
    # Its list gives its defendants (a person's name … through their link to the case),
    # charges and hearings; its detail adds decisions, custody periods and citations.
    nests=(
        ("case-defendant", "parties"),
        ("defendant", "parties__defendant", ("case-defendant", "parties")),
        ("charge", "charges"),
        ("hearing", "hearings"),
        ("decision", "decisions"),
        ("custody-period", "custody_periods"),
        ("citation", "citations"),
        # Reference data it shows: its court and tags, the articles (and their laws) of its
        # charges, the titles of the sources its citations cite.
        ("court", "court"),
        ("province", "court__province"),
        ("tag", "tags"),
        ("article", "charges__article", ("charge", "charges")),
        ("law", "charges__article__law", ("charge", "charges")),
        ("source", "citations__source", ("citation", "citations")),
    ),
)
register(
    "case-defendant",
    "cases.CaseDefendant",
    path="case-defendants",
    viewset="cases.api.views.CaseDefendantViewSet",
    synced=True,
    dashboard=True,
)
register(
    "charge",
    "cases.Charge",
    path="charges",
    viewset="cases.api.views.ChargeViewSet",
    synced=True,
    exported=True,
    dashboard=True,
)
register(
    "citation",
    "cases.Citation",
    path="citations",
    viewset="cases.api.views.CitationViewSet",
    synced=True,
    dashboard=True,
    exported=True,
    monitor_writes=True,
)
register(
    "source",
    "cases.Source",
    path="sources",
    viewset="cases.api.views.SourceViewSet",
    synced=True,
    exported=True,
    monitor_writes=True,
)
register("reported-figure", "cases.ReportedFigure")

# Reference data: everyone reads it, nobody syncs it incrementally.
register("law", "cases.Law", path="laws", viewset="cases.api.views.LawViewSet")
register("article", "cases.Article", path="articles", viewset="cases.api.views.ArticleViewSet")
register("court", "cases.Court", path="courts", viewset="cases.api.views.CourtViewSet")
register("province", "cases.Province")
register("tag", "cases.Tag")

internal("cases.SeedRecord", "which seed records were loaded, so that loading again adds nothing")
internal("cases.ExportJob", "a caller's export request and its file: bookkeeping, not data")
internal("cases.ChangeCounter", "the change counter itself (core/caching.py)")
