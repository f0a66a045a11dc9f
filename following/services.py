"""Following a case or a person by e-mail: double opt-in, signed links, one-click unsubscribe.

The links in the mails carry a signed id (django.core.signing, keyed by SECRET_KEY): nothing
guessable, nothing to store. A confirmation link expires; an unsubscribe link never does.
Asking to follow always answers the same way, whether the address already follows, is
waiting for its confirmation or is new, so the form tells no one who follows what.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.background import queue_after_commit
from following.models import Follow

CONFIRM_SALT = "following.confirm"
UNSUBSCRIBE_SALT = "following.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
# No second confirmation mail for the same follow sooner than this, and no more than
# PENDING_PER_DAY unconfirmed follows mailed to one address a day: the form cannot be used to
# flood someone's inbox.
RESEND_AFTER = datetime.timedelta(minutes=10)
PENDING_PER_DAY = 5


def subject_field(subject):
    return "case" if subject._meta.model_name == "case" else "defendant"


def ask_to_follow(subject, email, language):
    """Record that ``email`` asks to follow ``subject`` and queue the confirmation mail,
    unless one went out a moment ago, the address already follows, or it has had its share
    of confirmation mails today. Returns whether a mail was queued."""
    from following.tasks import send_confirmation

    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        lookup = {"email": email, subject_field(subject): subject}
        follow = Follow.objects.select_for_update().filter(**lookup).first()
        if follow is None:
            try:
                with transaction.atomic():
                    follow = Follow.objects.create(language=language, **lookup)
            except IntegrityError:  # the same request twice at once
                return False
        if follow.confirmed_at:
            return False
        if follow.confirmation_sent_at and now - follow.confirmation_sent_at < RESEND_AFTER:
            return False
        mailed_today = Follow.objects.filter(
            email=email,
            confirmed_at__isnull=True,
            confirmation_sent_at__gte=now - datetime.timedelta(days=1),
        ).count()
        if mailed_today >= PENDING_PER_DAY:
            return False
        follow.confirmation_sent_at = now
        follow.language = language
        follow.save(update_fields=["confirmation_sent_at", "language"])
        queue_after_commit(send_confirmation, follow.pk)
    return True


def confirm_token(follow):
    return signing.dumps(follow.pk, salt=CONFIRM_SALT)


def unsubscribe_token(follow):
    return signing.dumps(follow.pk, salt=UNSUBSCRIBE_SALT)


def follow_from_token(token, salt, max_age=None):
    """The follow a link names, or None if the link is altered, expired or its follow gone."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return Follow.objects.select_related("case", "defendant").filter(pk=pk).first()


def pending_follow(token):
    return follow_from_token(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def current_follow(token):
    return follow_from_token(token, UNSUBSCRIBE_SALT)


def confirm(follow):
    """From now on the follower hears of the subject's public changes (not earlier ones)."""
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.notified_up_to = follow.subject.changed_public
        follow.save(update_fields=["confirmed_at", "notified_up_to"])


def unsubscribe(follow):
    follow.delete()


def absolute(path):
    """Links in mails: no request to build them from, so the site's address comes from
    settings.SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


# The URLs below are in the active language (/km/… for Khmer): the mails are written under
# translation.override(follow.language).


def subject_url(follow):
    name = "case-detail" if follow.case_id else "defendant-detail"
    return absolute(reverse(name, args=[follow.subject.pk]))


def confirm_url(follow):
    return absolute(reverse("follow-confirm", args=[confirm_token(follow)]))


def unsubscribe_url(follow):
    return absolute(reverse("follow-unsubscribe", args=[unsubscribe_token(follow)]))
