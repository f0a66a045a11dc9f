"""The API's JSON parser, with a bound on nesting.

No record is more than a few levels deep; a body nested thousands deep makes Python's parser
recurse until it fails with RecursionError, which is not a ValueError and so was a 500."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


def depth_exceeds(data, limit):
    """True when ``data`` nests lists and objects more than ``limit`` deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("JSON nested more than %(depth)d deep is refused.") % {"depth": MAX_JSON_DEPTH}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(message)
        return data
