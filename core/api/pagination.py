from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from core.filters import MAX_ID

INVALID_CURSOR = "This cursor is not valid: use the next/previous links."
INVALID_PAGE_SIZE = "Give a whole number of at least 1 (at most %(max)s are served)."


class StableCursorPagination(CursorPagination):
    """Cursor pages in id order: records added while a client pages through never shift or
    repeat a page. ``page_size`` may be chosen up to 200."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """A larger ``page_size`` than the maximum gives the maximum (as it always has); one that
        is not a whole number of at least 1 answers 400 instead of being ignored."""
        wanted = request.query_params.get(self.page_size_query_param)
        if wanted is None:
            return self.page_size
        if not (wanted.isascii() and wanted.isdigit()) or int(wanted) < 1:
            message = INVALID_PAGE_SIZE % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return min(int(wanted), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"]["minLength"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Records per page: {self.page_size} unless given, at most "
                    f"{self.max_page_size} (a larger number gives {self.max_page_size})."
                )
        return parameters

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
