"""A reader following a case or a person by e-mail.

The address is used for one thing, sending the follower's own mails: no page, admin screen,
API, export or feed shows it (the model has no admin and is not a record type).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core.visibility import Visibility
from defendants.models import Defendant


class FollowQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def of_public_subjects(self):
        """Follows of a case or person the public may see: a hidden subject is never named
        in a mail or on a page, whatever path asks (the one rule for it)."""
        public_cases = Case.objects.visible_to(Visibility.PUBLIC).values("pk")
        public_people = Defendant.objects.visible_to(Visibility.PUBLIC).values("pk")
        return self.filter(Q(case__in=public_cases) | Q(defendant__in=public_people))


class Follow(models.Model):
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    defendant = models.ForeignKey(
        Defendant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language of the mails"), max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The subject's public "changed" time the follower was last told about (or saw when they
    # confirmed): a change mail goes out when the subject's public time passes it.
    notified_up_to = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, defendant__isnull=True)
                | Q(case__isnull=True, defendant__isnull=False),
                name="follow_one_subject",
            ),
            models.UniqueConstraint(
                fields=["email", "case"], condition=Q(case__isnull=False), name="follow_case_once"
            ),
            models.UniqueConstraint(
                fields=["email", "defendant"],
                condition=Q(defendant__isnull=False),
                name="follow_person_once",
            ),
        ]

    def __str__(self):
        return f"follow {self.pk}"  # never the address

    @property
    def subject(self):
        return self.case or self.defendant
