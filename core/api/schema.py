"""The OpenAPI schema documents every status code an endpoint can answer with."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.api.base import CacheHeadersMixin, KnownParametersMixin, VersionedWriteMixin
from core.api.permissions import ReadOrModelPermissions


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    changes = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class ValidationErrorSerializer(serializers.Serializer):
    """Field name → list of messages (``non_field_errors`` for the record as a whole)."""

    field_name = serializers.ListField(child=serializers.CharField(), required=False)


class HeldWriteSerializer(serializers.Serializer):
    """A write held (in whole or part) for an Editor to publish (core/publication.py)."""

    pending_change = serializers.IntegerField(help_text="The first pending change's id.")
    pending_changes = serializers.ListField(child=serializers.IntegerField())
    record = serializers.DictField(help_text="The record as saved, without the held values.")


ERRORS = {
    "400": (ValidationErrorSerializer, "Bad input: messages per field; nothing was changed."),
    "401": (ErrorSerializer, "The token is invalid, expired or revoked."),
    "403": (ErrorSerializer, "The caller may not do this."),
    "404": (ErrorSerializer, "No such record, or not one the caller may see."),
    "409": (ConflictSerializer, "Someone saved a newer version; nothing was changed."),
    "412": (ErrorSerializer, "If-Match names an old version; nothing was changed."),
    "428": (ErrorSerializer, "If-Match is `*`: name the version you read; nothing was changed."),
    "429": (ErrorSerializer, "Too many requests; retry after the Retry-After header's seconds."),
}


ETAG = {
    "schema": {"type": "string"},
    "description": "This answer's version: send it back as `If-None-Match` to get `304` while "
    "it has not changed.",
}
RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "description": "Seconds to wait before the next request.",
}


# A form field's bounds as JSON Schema keywords.
BOUNDS = {"min_value": "minimum", "max_value": "maximum", "max_length": "maxLength"}


def not_empty(schema):
    if schema.get("type") == "array":
        schema.setdefault("minItems", 1)
        not_empty(schema.get("items", {}))
    elif schema.get("type") == "string" and "enum" not in schema:
        schema.setdefault("minLength", 1)


class TrackerAutoSchema(AutoSchema):
    def get_auth(self):
        """Reads need no token (they show public records): say so in the schema."""
        auths = super().get_auth()

        anonymous_reads = any(
            isinstance(p, ReadOrModelPermissions) for p in self.view.get_permissions()
        )
        if anonymous_reads and self.method in ("GET", "HEAD", "OPTIONS") and {} not in auths:
            auths.append({})
        return auths

    def answers_not_modified(self):
        """Whether a GET here carries an ETag and answers 304 to a matching If-None-Match."""
        return (
            self.method == "GET"
            and isinstance(self.view, CacheHeadersMixin)
            and getattr(self.view, "conditional_get", True)
        )

    def get_override_parameters(self):
        """``fields`` and ``omit`` on every read that can trim its records (FieldSelectionMixin);
        the conditional headers where they are honoured."""
        parameters = list(super().get_override_parameters())
        if self.method == "GET" and getattr(self.view, "field_selection_params", ()):
            # Only the record's own top-level fields are accepted (any other answers 400).
            names = list(self._get_serializer().fields)
            parameters += [
                OpenApiParameter(
                    "fields",
                    build_array_type(build_basic_type(OpenApiTypes.STR) | {"enum": names}, 1),
                    style="form",
                    explode=False,
                    description="Fields to keep in each record (top level), comma-separated.",
                ),
                OpenApiParameter(
                    "omit",
                    build_array_type(build_basic_type(OpenApiTypes.STR) | {"enum": names}, 1),
                    style="form",
                    explode=False,
                    description="Fields to leave out of each record (top level), comma-separated.",
                ),
            ]
        if self.answers_not_modified():
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The `ETag` of your last answer: `304` while it has not changed.",
                )
            )
        if self.method in ("PUT", "PATCH") and isinstance(self.view, VersionedWriteMixin):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description='The version you read (`"3"`), instead of `version` in the '
                    "body: `412` if the record has changed since.",
                )
            )
        return parameters

    def _get_parameters(self):
        """A query parameter given empty answers 400 (KnownParametersMixin): say so."""
        parameters = super()._get_parameters()
        if isinstance(self.view, KnownParametersMixin):
            for parameter in parameters:
                if parameter["in"] == "query":
                    not_empty(parameter["schema"])
        return parameters

    def _get_filter_parameters(self):
        """The bounds a filter checks (an id's, a year's, a search's length) in the schema too:
        a value outside them answers 400, so a client must know them."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class is not None else {}
        for parameter in parameters:
            extra = getattr(filters.get(parameter["name"]), "extra", {})
            bounds = parameter["schema"]
            for option, keyword in BOUNDS.items():
                if extra.get(option) is not None:
                    bounds[keyword] = extra[option]
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if self.answers_not_modified() and status_code in ("200", "304"):
            headers["ETag"] = {**ETAG, "required": True}
        if status_code == "429":
            headers["Retry-After"] = RETRY_AFTER
        return headers

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "429"]
        if self.answers_not_modified():
            codes.append("304")
        # Every request's parameters and body are checked (400); only a path that names a
        # record (or an export) can name a missing one (404).
        codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if self.method != "GET":
            codes.append("403")
        if isinstance(self.view, VersionedWriteMixin) and self.method in ("POST", "PUT", "PATCH"):
            codes.append("202")  # a Monitor's change held for an Editor to publish
            if self.method != "POST":
                codes += ["409", "412", "428"]
        for code in codes:
            if code in responses:
                continue
            if code == "304":
                responses[code] = {
                    "description": "Not modified: the ETag in If-None-Match matches.",
                    "headers": self._get_response_headers_for_code(code, direction),
                }
                continue
            if code == "202":
                serializer, description = (
                    HeldWriteSerializer,
                    ("Saved, but (part of) the change waits for an Editor to publish it."),
                )
            else:
                serializer, description = ERRORS[code]
            response = self._get_response_for_code(serializer, code, direction=direction)
            response["description"] = description
            responses[code] = response
        return responses


TRIMMED_NOTE = (
    "With `fields` or `omit` only the fields asked for are present, so the schema requires none."
)


def _component_name(ref):
    return ref.rsplit("/", 1)[-1] if ref else None


def trimmable_records(result, generator, request, public):
    """A postprocessing hook: the records a read can trim with ``fields`` / ``omit`` require no
    field, since a trimmed answer leaves out the others (a client must not reject it).

    Found from each GET that takes ``fields``: its 200 answer's record, or the record of its
    page's ``results``."""
    components = result.get("components", {}).get("schemas", {})
    trimmed = set()
    for operations in result.get("paths", {}).values():
        operation = operations.get("get")
        if not operation or not any(p["name"] == "fields" for p in operation.get("parameters", [])):
            continue
        body = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        name = _component_name((body or {}).get("schema", {}).get("$ref"))
        page = components.get(name, {})
        results = page.get("properties", {}).get("results", {})
        if results.get("type") == "array":
            name = _component_name(results.get("items", {}).get("$ref"))
        if name in components:
            trimmed.add(name)
    for name in trimmed:
        component = components[name]
        if component.pop("required", None) is not None:
            described = component.get("description", "")
            component["description"] = f"{described}\n\n{TRIMMED_NOTE}".strip()
    return result
