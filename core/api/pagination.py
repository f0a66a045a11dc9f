from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


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
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {"cursor": ["This cursor is not valid: use the next/previous links."]}
            ) from None
