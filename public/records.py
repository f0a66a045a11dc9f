"""The public app's models that are not records (core/registry.py)."""

from core.registry import internal

internal("public.FacetValue", "facet values derived from a case's records, for counting")
internal("public.FacetStamp", "when a case's facet values were derived, to know when to redo it")
internal("public.FacetTotal", "how many cases hold each facet value, summed from FacetValue")
