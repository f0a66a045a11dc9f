"""Writes of the data exchange that start background work."""

from django.db import transaction

from core.background import queue_after_commit
from core.visibility import level_for
from exchange.tasks import run_export
from partners.models import PartnerPrincipal


@transaction.atomic
def export_job_request(*, job, user):
    """Record ``job`` (an unsaved ExportJob naming its type and format) for ``user`` — a
    person, or a partner organisation's token — and queue it once the request commits.

    The job exports at the level ``user`` may read when asking; a partner's job belongs to the
    partner, so every token of the organisation sees it."""
    partner = user.partner if isinstance(user, PartnerPrincipal) else None
    job.partner = partner
    job.requested_by = None if partner else user
    job.level = level_for(user)
    job.save()
    queue_after_commit(run_export, job.pk)
    return job
