"""Incremental sync and bulk export endpoints."""

import hashlib

from django.http import FileResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_etags, urlencode
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import ExportJob
from core.api.base import ApiModelSerializer, CacheHeadersMixin, KnownParametersMixin
from core.api.fields import RealDateTimeField, UtcDateTimeField
from core.models import updated_column
from core.visibility import level_for
from exchange import changes
from exchange.exports import CSV_EXPORTS, JSON_EXPORTS
from exchange.services import export_job_request
from exchange.streams import stream_csv, stream_json
from exchange.tombstones import TombstoneFinder, sync_horizon, synced_models
from partners.api.auth import CallerRateThrottle, ExportRateThrottle
from partners.models import PartnerPrincipal


class TombstoneSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(synced_models()))
    id = serializers.IntegerField()
    reason = serializers.ChoiceField(
        choices=["deleted", "hidden"],
        help_text="`hidden`: the record still exists but you may no longer see it.",
    )
    at = UtcDateTimeField()


class TombstoneQuery(serializers.Serializer):
    updated_since = RealDateTimeField(
        required=False,
        help_text="The `server_time` of your previous sync (ISO 8601, with offset): the same "
        "parameter every list takes.",
    )
    since = RealDateTimeField(required=False, help_text="The same as `updated_since` (older name).")

    def validate(self, attrs):
        if "updated_since" in attrs and "since" in attrs:
            raise serializers.ValidationError({"since": ["Give updated_since alone."]})
        if "updated_since" not in attrs and "since" not in attrs:
            raise serializers.ValidationError({"updated_since": ["This parameter is required."]})
        attrs.setdefault("updated_since", attrs.pop("since", None))
        return attrs

    type = serializers.ChoiceField(choices=list(synced_models()), required=False)


TOMBSTONES_EXAMPLE = OpenApiExample(
    "Two records to forget",
    value={
        "server_time": "2024-06-03T17:00:00Z",
        "results": [
            {"type": "hearings", "id": 311, "reason": "deleted", "at": "2024-06-03T09:12:00Z"},
            {"type": "citations", "id": 87, "reason": "hidden", "at": "2024-06-03T10:40:00Z"},
        ],
    },
    response_only=True,
)

CHANGES_EXAMPLE = OpenApiExample(
    "A page of changes",
    value={
        "cursor": "MTIzNA==",
        "next": None,
        "results": [
            {
                "type": "case-defendants",
                "id": 57,
                "action": "created",
                "at": "2024-06-03T09:10:00Z",
                "record": {
                    "id": 57,
                    "case": 42,
                    "defendant": 19,
                    "certainty": "reported",
                    "created_at": "2024-06-03T09:10:00Z",
                    "updated_at": "2024-06-03T09:10:00Z",
                },
            },
            {
                "type": "hearings",
                "id": 311,
                "action": "deleted",
                "at": "2024-06-03T09:12:00Z",
                "record": None,
            },
        ],
    },
    description="Upsert each `record` in your copy; delete the records whose `record` is null.",
    response_only=True,
)

EXPORT_EXAMPLE = OpenApiExample(
    "A JSON export of charges",
    value=[
        {
            "id": 7,
            "case": 42,
            "defendant": 19,
            "article": 494,
            "article_as_cited": "Article 494",
            "label": "",
            "date_filed": "2024-03",
            "date_filed_precision": "month",
            "status": "pending",
            "certainty": "reported",
            "created_at": "2024-03-02T08:15:00Z",
            "updated_at": "2024-06-03T01:20:00Z",
        }
    ],
    media_type="application/json",
    response_only=True,
)


class TombstoneView(KnownParametersMixin, CacheHeadersMixin, APIView):
    """Records deleted, or no longer visible to you, since a time: drop them from your copy."""

    extra_query_params = ("updated_since", "since", "type")

    @extend_schema(
        parameters=[TombstoneQuery],
        examples=[TOMBSTONES_EXAMPLE],
        responses=inline_serializer(
            "TombstoneList",
            {"server_time": UtcDateTimeField(), "results": TombstoneSerializer(many=True)},
        ),
    )
    def get(self, request):
        query = TombstoneQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        server_time = sync_horizon()
        finder = TombstoneFinder(request.user, query.validated_data["updated_since"])
        kind = query.validated_data.get("type")
        stones = finder.for_type(kind) if kind else finder.all()
        return Response(
            {
                "server_time": UtcDateTimeField().to_representation(server_time),
                "results": TombstoneSerializer(stones, many=True).data,
            }
        )


class ChangeEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=list(synced_models()), help_text="The record's type: its list's path."
    )
    id = serializers.IntegerField()
    action = serializers.ChoiceField(
        choices=["created", "updated", "deleted", "hidden"],
        help_text="`created`: new to you (new, or just made visible to you); `updated`: "
        "changed; `deleted`; `hidden`: it still exists but you may no longer see it.",
    )
    at = UtcDateTimeField(help_text="When the change was made.")
    record = serializers.DictField(
        allow_null=True,
        help_text="The record as its list (`/api/v1/<type>/`) gives it to you now; `null` "
        "for `deleted` and `hidden`.",
    )


class ChangeQuery(serializers.Serializer):
    cursor = serializers.CharField(
        required=False,
        min_length=1,
        help_text="The `cursor` of your previous answer; leave it out the first time.",
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=changes.MAX_PAGE_SIZE, default=changes.PAGE_SIZE
    )

    def validate_cursor(self, value):
        try:
            return changes.decode_cursor(value)
        except changes.InvalidCursor:
            raise serializers.ValidationError(
                "This cursor is not valid: send back the cursor of an answer."
            ) from None


class ChangeFeedView(KnownParametersMixin, CacheHeadersMixin, APIView):
    """Every change to what you may see, in order: one request per page, one for a night with
    no change.

    Each entry names the type, the id, the action and the record as you may see it now (from
    the type's list), or `null` for `deleted` and `hidden`: upsert or delete it in your copy,
    in order. Keep the answer's `cursor` and send it next time; while `next` is not null more
    entries are ready now. An entry is never added before a cursor already given, even for a
    change whose transaction committed late, so following the cursors misses nothing."""

    extra_query_params = ("cursor", "page_size")

    @extend_schema(
        operation_id="changes_list",
        parameters=[ChangeQuery],
        examples=[CHANGES_EXAMPLE],
        responses=inline_serializer(
            "ChangePage",
            {
                "cursor": serializers.CharField(
                    help_text="Send it as `cursor` next time (unchanged when nothing is new)."
                ),
                "next": serializers.URLField(
                    allow_null=True,
                    help_text="The next page, while more entries are ready now; else null.",
                ),
                "results": ChangeEntrySerializer(many=True),
            },
        ),
    )
    def get(self, request):
        query = ChangeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        size = query.validated_data["page_size"]
        position = query.validated_data.get("cursor", changes.START)
        entries, position, more = changes.read_page(request, position, size)
        cursor = changes.encode_cursor(position)
        following = None
        if more:
            params = {"cursor": cursor}
            if "page_size" in request.query_params:
                params["page_size"] = size
            following = request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
        return Response(
            {
                "cursor": cursor,
                "next": following,
                "results": ChangeEntrySerializer(entries, many=True).data,
            }
        )


EXTENSION = OpenApiParameter(
    "extension", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["json", "csv"]
)


class ExportQuery(serializers.Serializer):
    updated_since = RealDateTimeField(
        required=False, help_text="Only records changed at or after this time (ISO 8601)."
    )


def export_etag(request, type, extension, since):
    """What an export's bytes depend on: the data the caller may see (the newest change-feed
    entry for the caller's level: a change the caller cannot see moves nothing), the public
    reference data exports name (a renamed court), the caller's level, the day (days in
    detention are counted to it), the type, the format and ``updated_since``. A few indexed
    queries, reading no record."""
    level = level_for(request.user)
    seen = changes.latest_position(level)
    parts = (seen, changes.reference_stamp(), level, timezone.localdate(), type, extension, since)
    return f'"{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"'


class ExportView(KnownParametersMixin, CacheHeadersMixin, APIView):
    """Everything of one type that you may see, streamed as JSON (cases nest their defendants,
    charges, hearings, decisions, custody periods and citations) or CSV (one flat row each).

    `updated_since` keeps only what changed since your last copy; send the `ETag` back as
    `If-None-Match` and an unchanged export answers `304` without being built."""

    throttle_classes = [CallerRateThrottle, ExportRateThrottle]
    extra_query_params = ("updated_since",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "type", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(CSV_EXPORTS)
            ),
            EXTENSION,
            ExportQuery,
        ],
        examples=[EXPORT_EXAMPLE],
        responses={
            (200, "application/json"): build_array_type(build_basic_type(OpenApiTypes.OBJECT)),
            (200, "text/csv"): OpenApiTypes.STR,
            304: None,
        },
    )
    def get(self, request, type, extension):
        exports = JSON_EXPORTS if extension == "json" else CSV_EXPORTS
        if type not in exports:
            return Response({"detail": "No such export."}, status=404)
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = query.validated_data.get("updated_since")
        etag = export_etag(request, type, extension, since)
        # Weak comparison: gzip marks the ETag weak (W/"…") and the client sends that back.
        sent = parse_etags(request.headers.get("If-None-Match", ""))
        if etag in {tag.removeprefix("W/") for tag in sent}:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        export = exports[type]
        queryset = export.visible(request.user)
        if since is not None:
            column = updated_column(queryset.model, request.user)
            queryset = queryset.filter(**{f"{column}__gte": since})
        if extension == "json":
            body = stream_json(
                queryset,
                lambda ids: export.build(request, ids),
                lambda records: export.serialize(request, records),
            )
            content_type = "application/json"
        else:
            body = stream_csv(queryset, export.columns, lambda ids: export.rows(request, ids))
            content_type = "text/csv; charset=utf-8"
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{type}.{extension}"'
        response["ETag"] = etag
        return response


class ExportJobSerializer(ApiModelSerializer):
    progress = serializers.IntegerField(read_only=True, allow_null=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "export_type",
            "export_format",
            "status",
            "rows_done",
            "rows_total",
            "progress",
            "download",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_download(self, job) -> str | None:
        if job.status != "done":
            return None
        return self.context["request"].build_absolute_uri(
            reverse("api:export-job-download", args=[job.pk])
        )


class ExportJobRequest(serializers.Serializer):
    export_type = serializers.ChoiceField(choices=sorted(CSV_EXPORTS))
    export_format = serializers.ChoiceField(choices=["json", "csv"])


def jobs_of(user):
    """The export jobs ``user`` asked for (a partner's jobs belong to the partner), made at a
    level they may still read: someone demoted since no longer downloads what they asked for
    before."""

    level = level_for(user)
    if isinstance(user, PartnerPrincipal):
        return ExportJob.objects.filter(partner=user.partner, level__lte=level)
    if user and user.is_authenticated:
        return ExportJob.objects.filter(requested_by=user, level__lte=level)
    return ExportJob.objects.none()


class ExportJobListView(KnownParametersMixin, CacheHeadersMixin, APIView):
    """Ask for an export to be made in the background; poll it; download it when done."""

    permission_classes = [permissions.IsAuthenticated]

    def get_throttles(self):
        # Asking for an export costs one; looking at the list of jobs does not.
        if self.request.method == "POST":
            return [CallerRateThrottle(), ExportRateThrottle()]
        return super().get_throttles()

    @extend_schema(responses=ExportJobSerializer(many=True))
    def get(self, request):
        jobs = jobs_of(request.user).order_by("-created_at")[:50]
        return Response(ExportJobSerializer(jobs, many=True, context={"request": request}).data)

    @extend_schema(request=ExportJobRequest, responses={202: ExportJobSerializer})
    def post(self, request):
        wanted = ExportJobRequest(data=request.data)
        wanted.is_valid(raise_exception=True)
        job = export_job_request(job=ExportJob(**wanted.validated_data), user=request.user)
        data = ExportJobSerializer(job, context={"request": request}).data
        return Response(data, status=202)


class ExportJobDetailView(KnownParametersMixin, CacheHeadersMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ExportJobSerializer)
    def get(self, request, pk):
        job = get_object_or_404(jobs_of(request.user), pk=pk)
        return Response(ExportJobSerializer(job, context={"request": request}).data)


class ExportJobDownloadView(KnownParametersMixin, CacheHeadersMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    conditional_get = False  # the file streams: no ETag, so never a 304

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        job = get_object_or_404(jobs_of(request.user).filter(status="done"), pk=pk)
        content_type = "application/json" if job.export_format == "json" else "text/csv"
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"{job.export_type}.{job.export_format}",
            content_type=content_type,
        )
