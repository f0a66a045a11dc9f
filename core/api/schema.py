"""The OpenAPI schema documents every status code an endpoint can answer with."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

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


ERRORS = {
    "400": (ValidationErrorSerializer, "Bad input: messages per field; nothing was changed."),
    "401": (ErrorSerializer, "The token is invalid, expired or revoked."),
    "403": (ErrorSerializer, "The caller may not do this."),
    "404": (ErrorSerializer, "No such record, or not one the caller may see."),
    "409": (ConflictSerializer, "Someone saved a newer version; nothing was changed."),
    "412": (ErrorSerializer, "If-Match names an old version; nothing was changed."),
    "429": (ErrorSerializer, "Too many requests; retry after the Retry-After header's seconds."),
}


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

    def get_override_parameters(self):
        """``fields`` and ``omit`` on every read that can trim its records (FieldSelectionMixin)."""
        parameters = list(super().get_override_parameters())
        if self.method == "GET" and getattr(self.view, "field_selection_params", ()):
            parameters += [
                OpenApiParameter(
                    "fields",
                    OpenApiTypes.STR,
                    description="Comma-separated fields to keep in each record (top level).",
                ),
                OpenApiParameter(
                    "omit",
                    OpenApiTypes.STR,
                    description="Comma-separated fields to leave out of each record (top level).",
                ),
            ]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "429"]
        is_list = self._is_list_view()
        if self.method == "GET":
            # Every read checks its parameters (400); a detail may name a missing record (404).
            codes += ["304", "400"] if is_list else ["304", "400", "404"]
        else:
            codes += ["400", "403"]
            if self.method in ("PUT", "PATCH", "DELETE"):
                codes += ["404", "409", "412"]
        for code in codes:
            if code in responses:
                continue
            if code == "304":
                responses[code] = {
                    "description": "Not modified: the ETag in If-None-Match matches."
                }
                continue
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
