import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.citing import CitationRequest
from cases.models import (
    Article,
    Case,
    CaseDefendant,
    Charge,
    Citation,
    Court,
    CourtLevel,
    Law,
    Province,
    ReportedFigure,
    Source,
)
from core import roles
from core.visibility import Visibility
from defendants.models import (
    Affiliation,
    Category,
    CustodyKind,
    CustodyPeriod,
    Defendant,
    Organisation,
    OrganisationKind,
)
from documents.models import Document
from documents.tasks import extract_text
from fairtrial.models import (
    Answer,
    Assessment,
    ChecklistItem,
    ChecklistVersion,
    Finding,
    Grade,
    Stage,
)
from hearings.models import Decision, DecisionKind, Hearing, HearingKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            self.is_staff = extracted in (roles.MONITOR, roles.EDITOR, roles.ADMIN)
        self.save()


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("name_en",)

    name_en = "Phnom Penh"


class LawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Law
        django_get_or_create = ("title_en",)

    title_en = "Criminal Code"
    short_name = "Criminal Code"
    year = 2009


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ("law", "number")

    law = factory.SubFactory(LawFactory)
    number = factory.Sequence(lambda n: str(600 + n))
    title_en = factory.Sequence(lambda n: f"Offence {n}")


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court

    name_en = factory.Sequence(lambda n: f"Court of first instance {n}")
    level = CourtLevel.FIRST_INSTANCE
    province = factory.SubFactory(ProvinceFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    date = datetime.date(2024, 8, 26)
    visibility = Visibility.PUBLIC


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    title = factory.Sequence(lambda n: f"Case {n}")
    court = factory.SubFactory(CourtFactory)
    status = "pretrial"
    visibility = Visibility.PUBLIC


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.PARTY


class DefendantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Defendant

    name = factory.Sequence(lambda n: f"Defendant {n}")
    category = Category.POLITICAL_ACTIVIST
    visibility = Visibility.PUBLIC


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    defendant = factory.SubFactory(DefendantFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"
    visibility = Visibility.PUBLIC


class CaseDefendantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDefendant

    case = factory.SubFactory(CaseFactory)
    defendant = factory.SubFactory(DefendantFactory)
    visibility = Visibility.PUBLIC


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charge
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    defendant = factory.SubFactory(DefendantFactory)
    article = factory.SubFactory(ArticleFactory)
    label = "incitement"
    date_filed = datetime.date(2024, 1, 10)
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def link(self, create, extracted, **kwargs):
        if create:
            CaseDefendant.objects.get_or_create(
                case=self.case, defendant=self.defendant, defaults={"visibility": self.visibility}
            )


class CustodyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = CustodyPeriod

    defendant = factory.SubFactory(DefendantFactory)
    case = factory.SubFactory(CaseFactory)
    kind = CustodyKind.PRETRIAL_DETENTION
    start = datetime.date(2024, 1, 10)
    visibility = Visibility.PUBLIC
    # As if a source confirmed it today, so an open period is current (core/currency.py).
    # Tests of currency pass ``last_confirmed`` or cite sources, which derive it.
    last_confirmed = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def link(self, create, extracted, **kwargs):
        if create:
            CaseDefendant.objects.get_or_create(
                case=self.case, defendant=self.defendant, defaults={"visibility": self.visibility}
            )


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    court = factory.SelfAttribute("case.court")
    date = datetime.date(2024, 3, 1)
    kind = HearingKind.TRIAL
    visibility = Visibility.PUBLIC


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = Decision

    case = factory.SubFactory(CaseFactory)
    defendant = factory.SubFactory(DefendantFactory)
    court = factory.SelfAttribute("case.court")
    court_level = CourtLevel.FIRST_INSTANCE
    kind = DecisionKind.CONVICTION
    date = datetime.date(2024, 5, 1)
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def link(self, create, extracted, **kwargs):
        if create:
            CaseDefendant.objects.get_or_create(
                case=self.case, defendant=self.defendant, defaults={"visibility": self.visibility}
            )


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    paragraph = "34"
    subject = factory.SubFactory(CaseFactory)
    visibility = Visibility.PUBLIC


class ChecklistVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistVersion

    # Version 1 is loaded by a migration; factories make the later ones.
    number = factory.Sequence(lambda n: n + 2)
    title = "Fair-trial checklist"


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    checklist = factory.SubFactory(ChecklistVersionFactory)
    stage = Stage.BEFORE_TRIAL
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"right-{n}")
    text_en = "The defendant had prompt access to a lawyer."
    standard = "ICCPR art. 14(3)(b)"


class AnswerFactory(factory.django.DjangoModelFactory):
    """A public finding, its note at the finding's level, at a hearing of a case the defendant
    is in."""

    class Meta:
        model = Answer
        skip_postgeneration_save = True

    hearing = factory.SubFactory(HearingFactory)
    case = factory.SelfAttribute("hearing.case")
    defendant = factory.SubFactory(DefendantFactory)
    item = factory.SubFactory(ChecklistItemFactory)
    finding = Finding.RESPECTED
    visibility = Visibility.PUBLIC
    note_visibility = factory.SelfAttribute("visibility")

    @factory.post_generation
    def link(self, create, extracted, **kwargs):
        if create:
            CaseDefendant.objects.get_or_create(
                case=self.case, defendant=self.defendant, defaults={"visibility": self.visibility}
            )


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    grade = Grade.C
    summary = "Access to a lawyer was denied for the first week of detention."
    assessed_on = datetime.date(2024, 6, 1)
    visibility = Visibility.PUBLIC


def cited_to_a_report(paragraph="34", **source_values):
    """What a write path cites new facts to (cases/citing.py): a new public report's
    paragraph."""
    return CitationRequest(source=SourceFactory(**source_values), paragraph=paragraph)


# The source part of a "Log a hearing" post: the monitor's own observation.
LOG_OBSERVATION = {"cite-own_observation": "on", "cite-observed_at": "Phnom Penh Municipal Court"}


# The write-only ``citations`` of a record created through the API: the caller's observation.
API_OBSERVATION = [{"observation": {"date": "2024-03-07", "place": "Phnom Penh Municipal Court"}}]


class ReportedFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedFigure

    source = factory.SubFactory(SourceFactory)
    paragraph = "3"
    label = "hearings monitored"
    value = 12
    visibility = Visibility.PUBLIC


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Partner"

    name = factory.Sequence(lambda n: f"Partner organisation {n}")


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Webhook"

    partner = factory.SubFactory(PartnerFactory)
    url = factory.Sequence(lambda n: f"https://partner{n}.example/hooks/tracker")


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.WebhookDelivery"

    webhook = factory.SubFactory(WebhookFactory)
    idempotency_key = factory.Sequence(lambda n: f"cases:{n}:{1000 + n}")
    event = "updated"
    record_type = "cases"
    # A public case: the partner may still see it when the delivery is sent.
    record_id = factory.LazyFunction(lambda: CaseFactory(visibility=Visibility.PUBLIC).pk)
    payload = factory.LazyAttribute(
        lambda d: {
            "id": d.idempotency_key,
            "event": d.event,
            "type": d.record_type,
            "record_id": d.record_id,
            "data": {"id": d.record_id, "title": "Trial of the union leaders — ទី១"},
        }
    )


def in_use(record):
    """Give a reference record (organisation, article, court, law) a public record that uses
    it: reference data is served only while something the reader may see uses it
    (core/visibility.py, ReferenceQuerySet). Returns the record."""
    from cases.models import Article, Court, Law
    from defendants.models import Organisation

    if isinstance(record, Organisation):
        AffiliationFactory(organisation=record)
    elif isinstance(record, Article):
        ChargeFactory(article=record)
    elif isinstance(record, Court):
        CaseFactory(court=record)
    elif isinstance(record, Law):
        ChargeFactory(article=ArticleFactory(law=record))
    else:
        raise TypeError(f"{type(record).__name__} is not reference data")
    return record


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document made the way every upload is (``Document.from_upload``): type, size and
    hash from ``content``. ``extract=True`` also reads its text, as the background task does."""

    class Meta:
        model = Document

    source = factory.SubFactory(SourceFactory)
    visibility = factory.SelfAttribute("source.visibility")
    content = b"1. The first paragraph.\n2. The second paragraph.\n"
    name = "report.txt"
    extract = False

    @classmethod
    def _create(cls, model_class, *args, content, name, extract, **kwargs):
        document = model_class.from_upload(ContentFile(content, name=name), **kwargs)
        document.save()
        if extract:
            extract_text(document.pk)
            document.refresh_from_db()
        return document
