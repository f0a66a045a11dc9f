from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from core.filters import MAX_ID

INVALID_CURSOR = "This cursor is not valid: use the next/previous links."


class StableCursorPagination(CursorPagination):
    """Cursor pages in id order: records added while a client pages through never shift or
    repeat a page. ``page_size`` may be chosen up to 200."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        # A cursor the client mangled is bad input (400), not a missing page.
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from None
        # The position is an id (pages are in id order): anything else would reach the
        # database as a comparison it refuses.
        position = cursor.position if cursor is not None else None
        if position is not None:
            digits = position.removeprefix("-")
            if not (digits.isascii() and digits.isdigit()) or abs(int(position)) > MAX_ID:
                raise ValidationError({"cursor": [INVALID_CURSOR]})
        return cursor
