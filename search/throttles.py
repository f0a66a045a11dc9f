from partners.api.auth import SearchRateThrottle


class QueryRateThrottle(SearchRateThrottle):
    """The per-caller search budget, counted on the site-wide search's ``q``."""

    parameter = "q"
