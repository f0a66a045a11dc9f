"""The followers' mails: the confirmation of a new follow, and the alerts of public changes
(a periodic job: CELERY_BEAT_SCHEDULE "follow-alerts")."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation

from following import services
from following.models import Follow

log = logging.getLogger(__name__)


def mail(follow, template, subject_line, **context):
    """Send one mail to the follower, in their language, with the one-click unsubscribe
    headers of RFC 8058 (mail programs show an "Unsubscribe" button)."""
    with translation.override(follow.language):
        unsubscribe = services.unsubscribe_url(follow)
        context = {
            "follow": follow,
            "subject": follow.subject,
            "subject_url": services.subject_url(follow),
            "unsubscribe_url": unsubscribe,
            **context,
        }
        message = EmailMessage(
            subject=str(subject_line(follow.subject)),
            body=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[follow.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.send()


def confirmation_subject(subject):
    return translation.gettext("Confirm that you want to follow %(subject)s") % {"subject": subject}


def change_subject(subject):
    return translation.gettext("%(subject)s was updated") % {"subject": subject}


@shared_task
def send_confirmation(follow_id):
    """Mail the link that confirms a follow; nothing if it is confirmed or its subject is no
    longer public."""
    follow = (
        Follow.objects.filter(pk=follow_id, confirmed_at__isnull=True)
        .of_public_subjects()
        .select_related("case", "defendant")
        .first()
    )
    if follow is None:
        return False
    with translation.override(follow.language):
        confirm = services.confirm_url(follow)
    mail(follow, "following/mail/confirm.txt", confirmation_subject, confirm_url=confirm)
    return True


@shared_task
def send_follow_alerts():
    """One mail per confirmed follow whose subject changed, as the public sees it, since the
    follower was last told; returns how many were sent. A mail that fails is tried again at
    the next run (the follow is marked only once its mail is sent)."""
    changed = Follow.objects.confirmed().filter(
        case__changed_public__gt=F("notified_up_to")
    ) | Follow.objects.confirmed().filter(defendant__changed_public__gt=F("notified_up_to"))
    sent = 0
    for follow in changed.of_public_subjects().select_related("case", "defendant").order_by("pk"):
        changed_at = follow.subject.changed_public
        try:
            mail(follow, "following/mail/changed.txt", change_subject, changed_at=changed_at)
        except Exception:  # one refused address must not hold back the others
            log.exception("follow alert %s not sent; tried again at the next run", follow.pk)
            continue
        Follow.objects.filter(pk=follow.pk).update(notified_up_to=changed_at)
        sent += 1
    return sent
