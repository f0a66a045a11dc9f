from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.models import Article, Case
from core.visibility import Visibility
from defendants.models import Defendant


class CaseSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True

    def items(self):
        return Case.objects.visible_to(Visibility.PUBLIC).order_by("pk")

    def location(self, case):
        return reverse("case-detail", args=[case.pk])

    def lastmod(self, case):
        return case.changed_public  # as the public sees it (core.models.ContainerModel)


class DefendantSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True

    def items(self):
        return Defendant.objects.visible_to(Visibility.PUBLIC).order_by("pk")

    def location(self, person):
        return reverse("defendant-detail", args=[person.pk])

    def lastmod(self, person):
        return person.changed_public


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True

    def items(self):
        return Article.objects.visible_to(Visibility.PUBLIC).order_by("pk")

    def location(self, article):
        return reverse("article-detail", args=[article.pk])


class PageSitemap(Sitemap):
    i18n = True

    def items(self):
        return ["home", "case-list", "statistics", "hearing-calendar"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "cases": CaseSitemap,
    "people": DefendantSitemap,
    "articles": ArticleSitemap,
}
