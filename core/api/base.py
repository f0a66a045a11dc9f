"""What every API endpoint shares: the visibility gate, monitor-only fields, model validation
on writes, conflict detection, and incremental-sync filtering."""

import copy
import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers, quote_etag
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.admin import VISIBILITY_PERMISSION
from core.api.fields import UtcDateTimeField
from core.concurrency import EditConflict
from core.models import updated_column
from core.publication import hold_edit
from core.visibility import MONITOR_ONLY_FIELDS, Visibility, level_for, visibility_fields


def viewer_of(context):
    request = context.get("request")
    return request.user if request is not None else None


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record given by id, which must be visible to the caller."""

    def get_queryset(self):
        return super().get_queryset().visible_to(viewer_of(self.context))


class ApiModelSerializer(serializers.ModelSerializer):
    """Every API serializer's base: timestamps in UTC with ``Z``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


class TrackedSerializer(ApiModelSerializer):
    """Drops monitor-only fields for other callers, and validates writes like the admin does."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The version you read; required to update (or send If-Match)."),
    )

    def get_fields(self):
        fields = super().get_fields()
        viewer = viewer_of(self.context)
        column = updated_column(self.Meta.model, viewer)
        if "updated_at" in fields and column != "updated_at":
            # When the record or what it nests last changed as the caller sees it.
            fields["updated_at"] = UtcDateTimeField(source=column, read_only=True)
        if level_for(viewer) < Visibility.MONITORS:
            for name in MONITOR_ONLY_FIELDS & fields.keys():
                del fields[name]
        elif not viewer.has_perm(VISIBILITY_PERMISSION):
            # Without the permission, neither the level nor (once the record exists) what it
            # hangs on may change: moving a hidden hearing to a public case would publish it.
            model = self.Meta.model
            locked = ["visibility"]
            if self.instance is not None and hasattr(model, "visibility_via"):
                locked = visibility_fields(model)
            for name in locked:
                if name in fields:
                    fields[name].read_only = True
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {}
        for name, value in attrs.items():
            field = model._meta.get_field(name) if name != "version" else None
            if field is not None and field.many_to_many:
                many_to_many[name] = value
            elif name != "version":
                setattr(candidate, name, value)
        try:
            candidate.full_clean(validate_unique=False)
            check = getattr(candidate, "validate_charges", None)
            if check is not None and "charges" in many_to_many and candidate.case_id:
                check(many_to_many["charges"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from None
        return attrs

    def update(self, instance, validated_data):
        instance._expected_version = validated_data.pop("version", None)
        # A Monitor's change to what lower levels read is held for an Editor
        # (core/publication.py): the held fields are left as they are.
        proposed = copy.copy(instance)
        for name, value in validated_data.items():
            if not instance._meta.get_field(name).many_to_many:
                setattr(proposed, name, value)
        change = hold_edit(
            proposed, user=viewer_of(self.context), reason=_("Changed through the API.")
        )
        self.pending_changes = [change] if change else []
        if change:
            validated_data = {k: v for k, v in validated_data.items() if k not in change.changes}
            if not validated_data:
                return instance  # nothing else changed: readers must not see a new version
        return super().update(instance, validated_data)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, conflict):
        super().__init__(conflict.message())
        # Set after __init__, which would turn every value, the version too, into a string.
        self.detail = {
            "detail": self.detail,
            "current_version": conflict.current_version,
            "changes": [{k: str(v) for k, v in change.items()} for change in conflict.changes()],
        }


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = _(
        'If-Match must name the version you read (If-Match: "3"); "*" names no version.'
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _("The record has changed since the version named in If-Match.")


class CacheHeadersMixin:
    """Caching headers for API answers.

    What a caller sees depends on who they are, so no shared cache may keep an authenticated
    answer (``no-store``). Conditional GET still works for every caller: the ETag is computed
    here from the answer's bytes, and a matching ``If-None-Match`` gets 304.

    A streamed answer gets no ETag: a view that only streams sets ``conditional_get = False``
    so that the schema documents neither (core/api/schema.py).
    """

    conditional_get = True

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if request.user and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
        ):
            response.render()
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            wanted = request.headers.get("If-None-Match", "")
            if etag in [tag.strip() for tag in wanted.split(",")] or wanted.strip() == "*":
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary"):
                    if header in response:
                        not_modified[header] = response[header]
                return not_modified
        return response


class KnownParametersMixin:
    """Every query parameter must be one the endpoint reads, with a value: a misspelt filter
    (or an empty ``updated_since=``) would otherwise be ignored and answer everything, which a
    partner's copy would take for the truth. Anything else answers 400 with the accepted names.

    The accepted names are the endpoint's filters, its ordering and pagination parameters,
    ``format``, and what the view lists in ``extra_query_params``.
    """

    extra_query_params = ()

    def known_query_params(self):
        names = {
            api_settings.URL_FORMAT_OVERRIDE,
            *self.extra_query_params,
            *getattr(self, "field_selection_params", ()),
        }
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names.update(filterset_class.base_filters)
        backends = getattr(self, "filter_backends", ())
        orders = any(issubclass(backend, OrderingFilter) for backend in backends)
        if getattr(self, "ordering_fields", None) and orders:
            names.add(api_settings.ORDERING_PARAM)
        paginator = getattr(self, "paginator", None)
        if paginator is not None and getattr(self, "action", None) == "list":
            for attribute in ("cursor_query_param", "page_size_query_param"):
                if getattr(paginator, attribute, None):
                    names.add(getattr(paginator, attribute))
        return names

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return  # dispatch answers 405: a query means nothing to a method not served
        known = self.known_query_params()
        unknown = sorted(set(request.query_params) - known)
        empty = sorted(
            name for name in set(request.query_params) & known if not request.query_params.get(name)
        )
        if unknown or empty:
            errors = {name: [_("Unknown parameter.")] for name in unknown}
            errors.update(
                {name: [_("Give a value, or leave the parameter out.")] for name in empty}
            )
            errors["accepted_parameters"] = sorted(known)
            raise serializers.ValidationError(errors)


class FieldSelectionMixin:
    """``?fields=id,title`` keeps only those fields of each record, ``?omit=summary`` drops
    them: a partner mirroring a few columns downloads only those. Names are the record's
    top-level fields; an unknown one answers 400 with the fields there are.

    Put it after CacheHeadersMixin, so the ETag is computed from the trimmed answer."""

    field_selection_params = ("fields", "omit")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.selected_fields = self.kept_fields = None
        asked = {
            name: [part.strip() for part in request.query_params[name].split(",") if part.strip()]
            for name in self.field_selection_params
            if name in request.query_params and request.method in ("GET", "HEAD")
        }
        if not asked:
            return
        available = list(self.get_serializer().fields)
        errors = {}
        for name, wanted in asked.items():
            unknown = [field for field in wanted if field not in available]
            if unknown:
                errors[name] = [_("Unknown field: %(field)s.") % {"field": f} for f in unknown]
        if errors:
            errors["available_fields"] = available
            raise serializers.ValidationError(errors)
        keep = set(asked.get("fields") or available) - set(asked.get("omit", ()))
        self.kept_fields = [field for field in available if field in keep]

    def finalize_response(self, request, response, *args, **kwargs):
        kept = getattr(self, "kept_fields", None)
        if kept is not None and response.status_code == 200 and isinstance(response.data, dict):
            if isinstance(response.data.get("results"), list):
                response.data["results"] = [self.trimmed(r) for r in response.data["results"]]
            else:
                response.data = self.trimmed(response.data)
        return super().finalize_response(request, response, *args, **kwargs)

    def trimmed(self, record):
        return {field: record[field] for field in self.kept_fields if field in record}


class VisibleViewSetMixin(KnownParametersMixin, CacheHeadersMixin, FieldSelectionMixin):
    """Reads go through the visibility gate; a hidden record is a 404 like a missing one."""

    def get_queryset(self):
        queryset = self.queryset.model.objects.visible_to(self.request.user)
        return self.optimise(queryset)

    def optimise(self, queryset):
        """select_related / prefetch_related for this endpoint; override per viewset."""
        return queryset


class VersionedWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create and update with conflict detection.

    An update must say which version it edits: the ``version`` field in the body, or an
    ``If-Match: "<version>"`` header. A stale body version answers 409 with the current version
    and what changed; a stale If-Match answers 412, and `If-Match: *` (no version) 428.
    """

    def perform_update(self, serializer):
        self._written = serializer
        if_match = self.request.headers.get("If-Match")
        if if_match:
            wanted = if_match.strip().removeprefix("W/").strip('"')
            if wanted == "*":
                # "Any version" would skip the check: an update must name what it edits.
                raise PreconditionRequired()
            if wanted != str(serializer.instance.version):
                raise PreconditionFailed()
            serializer.validated_data.setdefault("version", serializer.instance.version)
        elif "version" not in serializer.validated_data:
            raise serializers.ValidationError(
                {"version": [_("Send the version you read (or an If-Match header) to update.")]}
            )
        try:
            serializer.save()
        except EditConflict as conflict:
            raise Conflict(conflict) from None

    def create(self, request, *args, **kwargs):
        return self._held(super().create(request, *args, **kwargs))

    def update(self, request, *args, **kwargs):
        return self._held(super().update(request, *args, **kwargs))

    def _held(self, response):
        """202 when any part of the write waits for an Editor to publish it
        (core/publication.py): the body names the pending change and shows the record as
        saved, without the held values."""
        serializer = getattr(self, "_written", None)
        pending = getattr(serializer, "pending_changes", None) or getattr(
            getattr(serializer, "instance", None), "pending_changes", None
        )
        if not pending:
            return response
        return Response(
            {
                "pending_change": pending[0].pk,
                "pending_changes": [change.pk for change in pending],
                "record": response.data,
            },
            status=status.HTTP_202_ACCEPTED,
        )

    def perform_create(self, serializer):
        self._written = serializer
        super().perform_create(serializer)


class ReadOnlyVisibleViewSet(VisibleViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ReferenceViewSet(
    KnownParametersMixin, CacheHeadersMixin, FieldSelectionMixin, viewsets.ReadOnlyModelViewSet
):
    """Reference data (laws, articles, courts, organisations), served only while something the
    caller may see uses it; an unused one is a 404 like a missing one (core/visibility.py,
    ReferenceQuerySet)."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class WritableVisibleViewSet(
    VisibleViewSetMixin, VersionedWriteMixin, viewsets.ReadOnlyModelViewSet
):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
