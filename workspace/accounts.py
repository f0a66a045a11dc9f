"""Closing a person's access: their sessions end and their API tokens stop working at once."""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from partners.models import ApiToken


@transaction.atomic
def account_deactivate(*, user):
    """Deactivate ``user``, end every session of theirs and revoke their API tokens."""

    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended = end_sessions(user=user)
    revoked = 0
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        token.revoke()
        revoked += 1
    return ended, revoked


def end_sessions(*, user):
    """Delete the stored sessions that belong to ``user``; returns how many."""
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
