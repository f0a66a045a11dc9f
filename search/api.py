"""``/api/v1/search/``: the one search, at the caller's level, in pages like the other lists."""

import base64
import binascii

from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import CacheHeadersMixin, KnownParametersMixin
from core.api.pagination import INVALID_CURSOR, INVALID_PAGE_SIZE, StableCursorPagination
from core.filters import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS
from core.visibility import level_for
from partners.api.auth import CallerRateThrottle
from search.engine import search
from search.forms import MAX_YEAR, MIN_YEAR, SearchForm
from search.providers import PROVIDERS
from search.throttles import QueryRateThrottle

PAGE_SIZE = StableCursorPagination.page_size
MAX_PAGE_SIZE = StableCursorPagination.max_page_size


class SearchResultSerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(
        choices=[provider.record_type for provider in PROVIDERS],
        help_text="The record's type: its list's path under /api/v1/.",
    )
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The record in the API.")
    snippet = serializers.CharField(
        help_text="HTML: the record's text around the words searched for, escaped, each word "
        "found wrapped in `<mark>`. Empty when the record has no text but its title."
    )
    rank = serializers.FloatField(
        help_text="Higher is better. Results come best first: a record named exactly as "
        "searched before all others."
    )


SEARCH_EXAMPLE = OpenApiExample(
    "A person found by a misspelt name",
    value={
        "next": None,
        "previous": None,
        "results": [
            {
                "record_type": "defendants",
                "id": 12,
                "title": "Kem Sokha",
                "url": "https://tracker.example.org/api/v1/defendants/12/",
                "snippet": "Kem Sokha",
                "rank": 0.54,
            }
        ],
    },
    response_only=True,
)


def encode_cursor(offset):
    return base64.urlsafe_b64encode(f"o={offset}".encode()).decode()


def decode_cursor(cursor):
    """The offset a cursor we handed out names; anything else is a 400."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (UnicodeError, binascii.Error, ValueError):
        text = ""
    digits = text.removeprefix("o=")
    if not text.startswith("o=") or not (digits.isascii() and digits.isdigit()) or len(digits) > 6:
        raise serializers.ValidationError({"cursor": [INVALID_CURSOR]})
    return int(digits)


def page_size(params):
    wanted = params.get("page_size")
    if wanted is None:
        return PAGE_SIZE
    if not (wanted.isascii() and wanted.isdigit()) or int(wanted) < 1:
        raise serializers.ValidationError(
            {"page_size": [INVALID_PAGE_SIZE % {"max": MAX_PAGE_SIZE}]}
        )
    return min(int(wanted), MAX_PAGE_SIZE)


class SearchView(KnownParametersMixin, CacheHeadersMixin, APIView):
    """One search over cases, people (Latin and Khmer names), articles, courts, organisations
    and hearings' public records, ranked, with highlighted snippets: only what you may see.

    Every word must occur in a record (Khmer words inside longer runs of text too), or the
    whole query be like one of its names ("Kim Sokha" finds "Kem Sokha"). A record named
    exactly as searched comes first. Follow `next` for the following page."""

    throttle_classes = [CallerRateThrottle, QueryRateThrottle]
    extra_query_params = ("q", "type", "year", "cursor", "page_size")

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": MAX_SEARCH_LENGTH},
                required=True,
                description=f"The words to search for: at most {MAX_SEARCH_WORDS} words and "
                f"{MAX_SEARCH_LENGTH} characters.",
            ),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                enum=[provider.record_type for provider in PROVIDERS],
                description="Only records of this type.",
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                description="Only records of this year: a case or person with a charge, "
                "hearing, custody period or decision in it, a hearing held in it (articles, "
                "courts and organisations have no year).",
            ),
            OpenApiParameter(
                "cursor",
                {"type": "string", "minLength": 1},
                description="The page to read: use the next/previous links.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Records per page: {PAGE_SIZE} unless given, at most "
                f"{MAX_PAGE_SIZE} (a larger number gives {MAX_PAGE_SIZE}).",
            ),
        ],
        examples=[SEARCH_EXAMPLE],
        responses=inline_serializer(
            "SearchPage",
            {
                "next": serializers.URLField(allow_null=True, help_text="The next page, or null."),
                "previous": serializers.URLField(
                    allow_null=True, help_text="The previous page, or null."
                ),
                "results": SearchResultSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            errors = {
                name: [error["message"] for error in messages]
                for name, messages in form.errors.get_json_data().items()
            }
            raise serializers.ValidationError(errors)
        size = page_size(request.query_params)
        offset = (
            decode_cursor(request.query_params["cursor"]) if "cursor" in request.query_params else 0
        )
        results = search(form.cleaned_data["q"], level_for(request.user), **form.search_arguments())
        page = results[offset : offset + size]
        return Response(
            {
                "next": self.link(request, offset + size) if offset + size < len(results) else None,
                "previous": self.link(request, max(0, offset - size)) if offset > 0 else None,
                "results": [
                    {
                        "record_type": result.record_type,
                        "id": result.pk,
                        "title": result.title,
                        "url": request.build_absolute_uri(result.api_url),
                        "snippet": str(result.snippet),
                        "rank": round(result.rank, 4),
                    }
                    for result in page
                ],
            }
        )

    def link(self, request, offset):
        params = {k: v for k, v in request.query_params.items() if k != "cursor"}
        params["cursor"] = encode_cursor(offset)
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
