"""Fixtures for the public pages: a fixed "today", readers (anonymous and a logged-in monitor,
who must both see exactly the public site) and a small world with records at every visibility
level."""

import datetime
from dataclasses import dataclass, field

import pytest

from core import roles
from core.visibility import Visibility
from defendants.models import Category, CustodyKind
from fairtrial.models import ChecklistItem, Finding
from hearings.models import DecisionKind, HearingStatus
from tests.factories import (
    AnswerFactory,
    ArticleFactory,
    AssessmentFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    ChecklistItemFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    ProvinceFactory,
    ReportedFigureFactory,
    SourceFactory,
    UserFactory,
)

# Pages count detention, upcoming hearings and "the last 12 months" from today in Phnom Penh.
TODAY = datetime.date(2024, 6, 15)
NOON_IN_PHNOM_PENH = datetime.datetime(2024, 6, 15, 5, 0, tzinfo=datetime.UTC)

HIDDEN_LEVELS = [Visibility.PARTNERS, Visibility.MONITORS]

# Every text of a record above public contains this word, so one check per page finds any leak.
SECRET = "Secret"


@pytest.fixture(autouse=True)
def today(time_machine):
    """Every page test runs at noon on ``TODAY`` in Phnom Penh; a test may move the clock on
    with ``time_machine.shift()``."""
    time_machine.move_to(NOON_IN_PHNOM_PENH, tick=False)
    return TODAY


@pytest.fixture(params=["anonymous", "monitor"])
def reader(request, client):
    """A client for each kind of reader: public pages read at the public level whoever is
    logged in, so every visibility test runs for both."""
    if request.param == "monitor":
        # No password: hashing one would make each of these many tests a second slower.
        client.force_login(UserFactory(role=roles.MONITOR, password=None))
    return client


@dataclass
class World:
    case: object
    person: object
    court: object
    article: object
    charge: object
    hearing: object
    decision: object
    custody: object
    source: object
    hidden_cases: list = field(default_factory=list)
    hidden_people: list = field(default_factory=list)
    hidden_courts: list = field(default_factory=list)
    # Articles charged only in records the public may not see.
    hidden_articles: list = field(default_factory=list)


def lawyer():
    """A right of the fair-trial checklist (loaded by a migration)."""
    return ChecklistItem.objects.get(checklist__number=1, code="lawyer-from-arrest")


def public_records():
    court = CourtFactory(name_en="Phnom Penh Municipal Court", province=ProvinceFactory())
    article = ArticleFactory(number="494", title_en="Incitement")
    case = CaseFactory(
        title="Open case", court=court, status="pretrial", summary="Arrested at a protest."
    )
    person = DefendantFactory(
        name="Open Person", name_km="បុគ្គលចំហ", category=Category.HUMAN_RIGHTS_DEFENDER
    )
    charge = ChargeFactory(case=case, defendant=person, article=article)
    custody = CustodyPeriodFactory(case=case, defendant=person, start=datetime.date(2024, 1, 10))
    hearing = HearingFactory(
        case=case,
        date=datetime.date(2024, 7, 2),
        time=datetime.time(9, 0),
        status=HearingStatus.SCHEDULED,
        monitored=True,
    )
    decision = DecisionFactory(
        case=case, defendant=person, kind=DecisionKind.BAIL_DENIED, date=datetime.date(2024, 2, 1)
    )
    decision.charges.add(charge)
    AnswerFactory(hearing=hearing, defendant=person, item=lawyer(), finding=Finding.RESPECTED)
    source = SourceFactory(title="Open report", short_title="Open report")
    CitationFactory(source=source, subject=case, paragraph="12")
    ReportedFigureFactory(source=source, label="hearings monitored in the period", value=40)
    return World(case, person, court, article, charge, hearing, decision, custody, source)


def records_at(level, world):
    """Records at ``level`` (above public) around the public ones, and public records that hang
    on something at ``level``: none of them may show on a public page."""
    tag = f"{SECRET} {level.name}"
    # A confidential case, with public-level facts about the public person.
    court = CourtFactory(
        name_en=f"{tag} court", province=ProvinceFactory(name_en=f"{tag} province")
    )
    case = CaseFactory(
        title=f"{tag} case",
        court=court,
        status="appeal",
        summary=f"{tag} summary",
        visibility=level,
    )
    only_in_hidden_case = ArticleFactory(number=f"{700 + level}", title_en="Obstruction")
    ChargeFactory(
        case=case,
        defendant=world.person,
        article=only_in_hidden_case,
        label=tag,
        date_filed=datetime.date(2018, 5, 1),
    )
    hidden_case_hearing = HearingFactory(
        case=case,
        date=datetime.date(2024, 7, 3),
        status=HearingStatus.SCHEDULED,
        monitored=True,
        outcome=f"{tag} hearing outcome",
    )
    DecisionFactory(
        case=case,
        defendant=world.person,
        kind=DecisionKind.ACQUITTAL,
        date=datetime.date(2024, 3, 1),
        summary=f"{tag} decision",
    )
    CustodyPeriodFactory(
        case=case,
        defendant=world.person,
        kind=CustodyKind.IMPRISONMENT,
        start=datetime.date(2023, 1, 1),
        note=f"{tag} custody",
    )
    CitationFactory(source=world.source, subject=case, paragraph="99")
    AssessmentFactory(case=case, summary=f"{tag} assessment")

    # A confidential person in the public case, with public-level facts.
    person = DefendantFactory(
        name=f"{tag} person", name_km="សម្ងាត់", category=Category.JOURNALIST, visibility=level
    )
    CaseDefendantFactory(case=world.case, defendant=person)
    only_against_hidden_person = ArticleFactory(number=f"{710 + level}", title_en="Insult")
    ChargeFactory(
        case=world.case,
        defendant=person,
        article=only_against_hidden_person,
        label=tag,
        date_filed=datetime.date(2017, 5, 1),
    )
    CustodyPeriodFactory(
        case=world.case, defendant=person, start=datetime.date(2024, 2, 1), note=f"{tag} custody"
    )
    DecisionFactory(
        case=world.case,
        defendant=person,
        kind=DecisionKind.CONVICTION,
        date=datetime.date(2024, 4, 1),
        summary=f"{tag} decision",
    )

    # Facts at ``level`` about the public person in the public case.
    only_in_hidden_charge = ArticleFactory(number=f"{720 + level}", title_en="Defamation")
    hidden_charge = ChargeFactory(
        case=world.case,
        defendant=world.person,
        article=only_in_hidden_charge,
        label=tag,
        date_filed=datetime.date(2016, 5, 1),
        visibility=level,
    )
    hidden_hearing = HearingFactory(
        case=world.case,
        date=datetime.date(2024, 8, 1),
        status=HearingStatus.SCHEDULED,
        monitored=True,
        outcome=f"{tag} hearing outcome",
        visibility=level,
    )
    # Fair-trial findings: one at ``level`` at the public hearing, public ones at the hidden
    # hearings (of the public case, and of the hidden case, in the hidden court).
    AnswerFactory(
        hearing=world.hearing,
        defendant=world.person,
        item=ChecklistItem.objects.exclude(code=lawyer().code).order_by("id")[int(level)],
        finding=Finding.VIOLATED,
        visibility=level,
        note=f"{tag} note",
    )
    for at in (hidden_hearing, hidden_case_hearing):
        AnswerFactory(hearing=at, defendant=world.person, item=lawyer(), finding=Finding.VIOLATED)
    hidden_decision = DecisionFactory(
        case=world.case,
        defendant=world.person,
        kind=DecisionKind.CHARGES_DROPPED,
        date=datetime.date(2024, 5, 1),
        summary=f"{tag} decision",
        visibility=level,
    )
    hidden_decision.charges.add(world.charge, hidden_charge)
    CustodyPeriodFactory(
        case=world.case,
        defendant=world.person,
        kind=CustodyKind.IMPRISONMENT,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
        note=f"{tag} custody",
        visibility=level,
    )
    # Fair-trial findings at ``level`` about the public person at the public hearing, and a
    # note at ``level`` on a public finding.
    AnswerFactory(
        hearing=world.hearing,
        defendant=world.person,
        item=ChecklistItemFactory(text_en=f"{tag} right"),
        note=f"{tag} finding",
        visibility=level,
    )
    AnswerFactory(
        hearing=world.hearing,
        defendant=world.person,
        item=ChecklistItemFactory(text_en="Open right"),
        note=f"{tag} note",
        note_visibility=level,
    )
    hidden_source = SourceFactory(
        title=f"{tag} source", short_title=f"{tag} source", visibility=level
    )
    CitationFactory(source=hidden_source, subject=world.case, paragraph="7")
    CitationFactory(
        source=SourceFactory(title=f"{tag} cited", short_title=f"{tag} cited"),
        subject=world.case,
        paragraph="8",
        visibility=level,
    )
    CitationFactory(source=hidden_source, subject=world.person, paragraph="9")
    ReportedFigureFactory(source=hidden_source, label=f"{tag} figure", value=999)

    world.hidden_cases.append(case)
    world.hidden_people.append(person)
    world.hidden_courts.append(court)
    world.hidden_articles += [
        only_in_hidden_case,
        only_against_hidden_person,
        only_in_hidden_charge,
    ]


@pytest.fixture
def world():
    """One public case with one public person and one of every public fact, and around it, at
    each level above public, records no public page may show (see ``records_at``)."""
    world = public_records()
    for level in HIDDEN_LEVELS:
        records_at(level, world)
    return world
