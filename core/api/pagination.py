from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
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

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model  # what a cursor's position is checked against
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        # A cursor the client mangled is bad input (400), not a missing page.
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from None
        position = cursor.position if cursor is not None else None
        if position is not None and not self.position_fits(position):
            raise ValidationError({"cursor": [INVALID_CURSOR]})
        return cursor

    def position_fits(self, position):
        """Whether ``position`` is a value of the ordering's column: anything else would reach
        the database as a comparison it refuses."""
        name = self.ordering[0].lstrip("-")
        field = self.model._meta.pk if name == "pk" else self.model._meta.get_field(name)
        if isinstance(field, models.IntegerField):
            digits = position.removeprefix("-")
            return digits.isascii() and digits.isdigit() and abs(int(position)) <= MAX_ID
        try:
            field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            return False
        return True
