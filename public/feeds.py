from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core.visibility import Visibility


class CaseUpdatesFeed(Feed):
    """An Atom feed of public cases, most recently changed first, as the public sees them: a
    change only monitors see (a review note) moves nothing here (core.models.ContainerModel)."""

    feed_type = Atom1Feed
    title = _("Cambodia Trial Tracker: case updates")
    subtitle = _("Cases most recently updated in the tracker.")
    link = reverse_lazy("case-list")

    def items(self):
        return (
            Case.objects.visible_to(Visibility.PUBLIC)
            .select_related("court")
            .order_by("-changed_public", "-pk")[:50]
        )

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return reverse("case-detail", args=[case.pk])

    def item_updateddate(self, case):
        return case.changed_public

    def item_pubdate(self, case):
        return case.created_at
