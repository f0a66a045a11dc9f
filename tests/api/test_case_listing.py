"""The case list's fast path for partners and anonymous readers (cases/api/listing.py) answers
exactly what ``CaseListSerializer`` would: the same values, keys in the same order, the same
records left out, and the same cursor pages. Its case detail (the detail endpoint's answer and
each record of the JSON export of cases) answers what ``CaseDetailSerializer`` would."""

import datetime
import json
from itertools import cycle

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cases.api import listing
from cases.api.serializers import CaseDetailSerializer, CaseListSerializer
from cases.api.views import case_prefetches
from cases.models import (
    Case,
    CaseDefendant,
    CaseStatus,
    Charge,
    ChargeStatus,
    CourtLevel,
    OffenceClass,
    Tag,
)
from core.dates import DatePrecision
from core.models import CHANGED_COLUMNS, changed_now
from core.visibility import Visibility
from defendants.models import Category, CustodyKind, CustodyPeriod, Defendant, Sex
from hearings.models import Decision, DecisionKind, Hearing, HearingKind, HearingStatus
from partners.models import PartnerPrincipal
from tests.factories import (
    ArticleFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    LawFactory,
    ProvinceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

CALLERS = pytest.mark.parametrize("caller", ["anonymous", "partner"])
UTC = datetime.UTC

# Timestamps in each shape a database may write them as text: microseconds with trailing
# zeros, with leading zeros, none at all, and instants whose date differs in Phnom Penh.
STAMPS = [
    datetime.datetime(2024, 3, 1, 23, 59, 59, 999999, tzinfo=UTC),
    datetime.datetime(2024, 3, 2, 8, 15, 0, 500000, tzinfo=UTC),
    datetime.datetime(2024, 3, 2, 8, 15, 0, 1, tzinfo=UTC),
    datetime.datetime(2024, 3, 2, 8, 15, 0, tzinfo=UTC),
    datetime.datetime(2023, 12, 31, 17, 0, 0, 123456, tzinfo=UTC),
    datetime.datetime(2024, 7, 14, 2, 3, 4, 40, tzinfo=UTC),
]


@pytest.fixture
def viewer_as(partner_org, request):
    """``viewer_as("partner")`` → who the API takes that caller to be (``"monitor"``: the
    user of the ``monitor_api`` fixture)."""

    def viewer(caller):
        if caller == "anonymous":
            return AnonymousUser()
        if caller == "partner":
            return PartnerPrincipal(partner_org)
        return request.getfixturevalue(caller)

    return viewer


def stamp(model):
    """Give every record of ``model`` its own created/updated times from STAMPS (``update()``
    because ``save()`` would overwrite ``updated_at`` with now)."""
    stamps = cycle(STAMPS)
    for pk in model.objects.order_by("pk").values_list("pk", flat=True):
        created, updated = next(stamps), next(stamps)
        model.objects.filter(pk=pk).update(created_at=created, **changed_now(model, updated))


@pytest.fixture
def varied_cases():
    """Cases in which every listed field takes each of its shapes, each shape at least once in
    public records, with cases, people, links, charges and hearings at every visibility level."""
    court = CourtFactory(
        name_km="សាលាដំបូងរាជធានីភ្នំពេញ", province=ProvinceFactory(name_en="Phnom Penh")
    )
    unplaced_court = CourtFactory(province=None, level=CourtLevel.APPEAL)
    code = LawFactory()
    associations = LawFactory(title_en="Law on Associations and NGOs", short_name="", year=2015)
    incitement = ArticleFactory(
        law=code, number="494", title_km="ការញុះញង់", offence_class=OffenceClass.FELONY
    )
    registration = ArticleFactory(
        law=associations, number="30", offence_class=OffenceClass.MISDEMEANOUR
    )
    union, land, expression = (
        Tag.objects.create(slug=slug, name_en=slug) for slug in ("union", "land", "expression")
    )

    public = CaseFactory(
        title="Trial of the union leaders",
        title_km="សំណុំរឿងមេដឹកនាំសហជីព",
        case_number="1234/2023",
        status=CaseStatus.TRIAL,
        status_as_of=datetime.date(2024, 2, 29),
        court=court,
        summary="Charged after a strike.",
        summary_km="ត្រូវបានចោទប្រកាន់",
        defendant_count_is_minimum=True,
    )
    public.tags.set([union, expression])
    courtless = CaseFactory(court=None, status=CaseStatus.INVESTIGATION)
    on_appeal = CaseFactory(court=unplaced_court, status=CaseStatus.APPEAL)
    on_appeal.tags.set([land, union])
    for_partners = CaseFactory(
        court=unplaced_court, status=CaseStatus.APPEAL, visibility=Visibility.PARTNERS
    )
    for_partners.tags.set([land])
    for_monitors = CaseFactory(visibility=Visibility.MONITORS)

    named = DefendantFactory(
        name="Sok Chea", name_km="សុខ ជា", sex=Sex.FEMALE, category=Category.UNION_LEADER
    )
    unnamed = DefendantFactory(name="", description="one of three co-defendants")
    partners_person = DefendantFactory(
        name="Chan Dara",
        name_km="ចាន់ ដារា",
        sex=Sex.MALE,
        category=Category.JOURNALIST,
        visibility=Visibility.PARTNERS,
    )
    monitors_person = DefendantFactory(name="Kept confidential", visibility=Visibility.MONITORS)

    for case, person, level in [
        (public, named, Visibility.PUBLIC),
        (public, unnamed, Visibility.PARTNERS),
        (public, partners_person, Visibility.PUBLIC),
        (public, monitors_person, Visibility.PUBLIC),
        (public, DefendantFactory(), Visibility.MONITORS),
        (courtless, unnamed, Visibility.PUBLIC),
        (on_appeal, named, Visibility.PUBLIC),
        (on_appeal, unnamed, Visibility.PUBLIC),
        (for_partners, named, Visibility.PUBLIC),
        (for_partners, partners_person, Visibility.PARTNERS),
        (for_partners, DefendantFactory(), Visibility.MONITORS),
        (for_monitors, named, Visibility.PUBLIC),
    ]:
        CaseDefendantFactory(case=case, defendant=person, visibility=level)

    def charge(case, person, precision, day, level=Visibility.PUBLIC, **fields):
        return ChargeFactory(
            case=case,
            defendant=person,
            date_filed=day,
            date_filed_precision=precision,
            visibility=level,
            **fields,
        )

    october = datetime.date(2023, 10, 17)
    charge(public, named, DatePrecision.DAY, october, article=incitement)
    charge(
        public,
        named,
        DatePrecision.MONTH,
        october,
        article=None,
        article_as_cited="437 (bis)",
        label="plotting",
        status=ChargeStatus.CONVICTED,
    )
    charge(public, named, DatePrecision.YEAR, october, Visibility.PARTNERS, article=registration)
    charge(public, named, DatePrecision.DAY, None, Visibility.MONITORS)
    charge(public, unnamed, DatePrecision.APPROXIMATE, october, Visibility.PARTNERS)
    charge(public, partners_person, DatePrecision.DAY, october, status=ChargeStatus.DROPPED)
    charge(public, monitors_person, DatePrecision.YEAR, october)
    charge(courtless, unnamed, DatePrecision.APPROXIMATE, october, article=None)
    charge(on_appeal, named, DatePrecision.YEAR, october, article=registration)
    charge(on_appeal, unnamed, DatePrecision.DAY, None, status=ChargeStatus.ACQUITTED)
    charge(for_partners, named, DatePrecision.MONTH, october, article=registration)
    charge(for_partners, partners_person, DatePrecision.DAY, october, Visibility.PARTNERS)
    charge(for_monitors, named, DatePrecision.DAY, october)

    def hearing(case, precision, day, level=Visibility.PUBLIC, **fields):
        return HearingFactory(
            case=case, date=day, date_precision=precision, visibility=level, **fields
        )

    march = datetime.date(2024, 3, 7)
    hearing(
        public,
        DatePrecision.DAY,
        march,
        time=datetime.time(9, 30),
        monitored=True,
        outcome="Adjourned to April.",
        fair_trial_observations="គ្មានអ្នកបកប្រែ",
        monitor_notes="Not for partners.",
    )
    hearing(public, DatePrecision.DAY, march, time=None, kind=HearingKind.BAIL)
    hearing(
        public,
        DatePrecision.MONTH,
        march,
        court=None,
        kind=HearingKind.VERDICT,
        status=HearingStatus.SCHEDULED,
    )
    hearing(public, DatePrecision.YEAR, march, Visibility.PARTNERS, time=datetime.time(0, 0))
    hearing(
        public,
        DatePrecision.APPROXIMATE,
        march,
        Visibility.MONITORS,
        time=datetime.time(14, 5, 30, 250000),
    )
    hearing(on_appeal, DatePrecision.YEAR, march, time=datetime.time(0, 0), monitored=True)
    hearing(
        on_appeal,
        DatePrecision.DAY,
        march,
        court=court,
        time=datetime.time(14, 5, 30, 250000),
        kind=HearingKind.APPEAL,
        status=HearingStatus.POSTPONED,
    )
    hearing(courtless, DatePrecision.APPROXIMATE, march, court=None, status=HearingStatus.HELD)
    hearing(
        for_partners,
        DatePrecision.DAY,
        datetime.date(2024, 12, 31),
        time=datetime.time(16, 45, 10, 7),
        kind=HearingKind.APPEAL,
    )
    hearing(for_partners, DatePrecision.MONTH, march, Visibility.MONITORS)
    hearing(for_monitors, DatePrecision.DAY, march)

    for model in (Case, Charge, Hearing):
        stamp(model)


def listed(client, **params):
    """The results of one page of the API's case list (big enough for every test's cases)."""
    response = client.get("/api/v1/cases/", {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def serialized(viewer):
    """What ``CaseListSerializer`` answers for the cases ``viewer`` may see, in id order, as
    JSON written by DRF's own renderer and read back."""
    cases = (
        Case.objects.visible_to(viewer)
        .order_by("id")
        .select_related("court__province")
        .prefetch_related(*case_prefetches(viewer))
    )
    request = Request(APIRequestFactory().get("/api/v1/cases/"))
    request.user = viewer
    data = CaseListSerializer(cases, many=True, context={"request": request}).data
    return json.loads(JSONRenderer().render(data))


def key_orders(value, path="results"):
    """[(path, keys in order)] for every object in ``value``, however deeply nested."""
    found = []
    if isinstance(value, dict):
        found.append((path, list(value)))
        for key, item in value.items():
            found += key_orders(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += key_orders(item, f"{path}[{index}]")
    return found


@CALLERS
@pytest.mark.parametrize("zone", ["Asia/Phnom_Penh", "UTC", "America/St_Johns"])
def test_the_fast_path_answers_what_the_serializer_answers(
    caller, zone, api_as, viewer_as, varied_cases, settings
):
    settings.TIME_ZONE = zone  # timestamps are written in it: +07:00, Z, -03:30 or -02:30

    assert listed(api_as(caller)) == serialized(viewer_as(caller))


@CALLERS
def test_the_fast_path_writes_keys_in_the_serializers_order(
    caller, api_as, viewer_as, varied_cases
):
    assert key_orders(listed(api_as(caller))) == key_orders(serialized(viewer_as(caller)))


@pytest.fixture
def cases_out_of_order():
    """Cases whose titles and update times run in neither id order nor its reverse, three of
    the update times in one second, told apart only by their microseconds."""
    titles = ["Mekong", "Angkor", "Tonle Sap", "Bokor", "Kampot", "Ratanakiri", "Preah Vihear"]
    updates = [
        datetime.datetime(2024, 5, 1, 10, 0, 0, 2, tzinfo=UTC),
        datetime.datetime(2024, 5, 1, 10, 0, 0, 1, tzinfo=UTC),
        datetime.datetime(2024, 2, 1, 9, 0, 0, tzinfo=UTC),
        datetime.datetime(2024, 8, 1, 9, 0, 0, 999999, tzinfo=UTC),
        datetime.datetime(2024, 5, 1, 10, 0, 0, 3, tzinfo=UTC),
        datetime.datetime(2023, 11, 30, 23, 30, 0, 500000, tzinfo=UTC),
        datetime.datetime(2024, 1, 1, 0, 0, 0, 10, tzinfo=UTC),
    ]
    levels = cycle([Visibility.PUBLIC, Visibility.PARTNERS, Visibility.PUBLIC, Visibility.MONITORS])
    for title, updated in zip(titles, updates, strict=True):
        case = CaseFactory(title=title, visibility=next(levels))
        HearingFactory(case=case)
        Case.objects.filter(pk=case.pk).update(**changed_now(Case, updated))


@CALLERS
@pytest.mark.parametrize("ordering", ["-updated_at", "title"])
def test_cursor_pages_follow_the_ordering_without_repeating_or_skipping_a_case(
    caller, ordering, api_as, viewer_as, cases_out_of_order
):
    client = api_as(caller)
    seen, url = [], f"/api/v1/cases/?ordering={ordering}&page_size=2"
    while url and len(seen) <= Case.objects.count():  # else the cursor is going round in circles
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen += [case["id"] for case in response.json()["results"]]
        url = response.json()["next"]

    expected = Case.objects.visible_to(viewer_as(caller)).order_by(ordering)
    assert seen == list(expected.values_list("pk", flat=True))


def listed_ids(client, case, kind):
    """The ids of the ``kind`` records (hearings, charges, defendants) listed under ``case``."""
    (listed_case,) = [record for record in listed(client) if record["id"] == case.pk]
    return [record["id"] for record in listed_case[kind]]


def test_a_monitors_only_hearing_is_left_out_for_partners_but_listed_for_monitors(
    partner_api, monitor_api
):
    case = CaseFactory()
    shown = HearingFactory(case=case, visibility=Visibility.PARTNERS)
    hidden = HearingFactory(case=case, visibility=Visibility.MONITORS)

    assert listed_ids(partner_api, case, "hearings") == [shown.pk]
    assert sorted(listed_ids(monitor_api, case, "hearings")) == sorted([shown.pk, hidden.pk])


def test_a_partners_only_charge_is_left_out_for_anonymous_readers_but_listed_for_monitors(
    anonymous_api, monitor_api
):
    shown = ChargeFactory()
    hidden = ChargeFactory(
        case=shown.case, defendant=shown.defendant, visibility=Visibility.PARTNERS
    )

    assert listed_ids(anonymous_api, shown.case, "charges") == [shown.pk]
    assert sorted(listed_ids(monitor_api, shown.case, "charges")) == sorted([shown.pk, hidden.pk])


def test_a_public_charge_against_a_partners_only_person_is_left_out_for_anonymous_readers(
    anonymous_api, monitor_api
):
    shown = ChargeFactory()
    hidden = ChargeFactory(case=shown.case, defendant__visibility=Visibility.PARTNERS)

    assert listed_ids(anonymous_api, shown.case, "charges") == [shown.pk]
    assert sorted(listed_ids(monitor_api, shown.case, "charges")) == sorted([shown.pk, hidden.pk])


def test_a_monitors_only_person_is_left_out_of_the_defendants_for_partners(
    partner_api, monitor_api
):
    shown = CaseDefendantFactory()
    hidden = CaseDefendantFactory(case=shown.case, defendant__visibility=Visibility.MONITORS)

    assert listed_ids(partner_api, shown.case, "defendants") == [shown.defendant_id]
    assert sorted(listed_ids(monitor_api, shown.case, "defendants")) == sorted(
        [shown.defendant_id, hidden.defendant_id]
    )


# --- The case detail ---------------------------------------------------------------------------

LEVELS = pytest.mark.parametrize("caller", ["anonymous", "partner", "monitor"])


@pytest.fixture
def detailed_cases(varied_cases):
    """``varied_cases`` with decisions, custody periods and citations in which every field of
    the detail takes each of its shapes, at every visibility level, each case's records
    hanging on people and links of every level."""
    public = Case.objects.get(title="Trial of the union leaders")
    on_appeal = Case.objects.get(status=CaseStatus.APPEAL, visibility=Visibility.PUBLIC)
    for_partners = Case.objects.get(visibility=Visibility.PARTNERS)
    for_monitors = Case.objects.get(visibility=Visibility.MONITORS)
    named = Defendant.objects.get(name="Sok Chea")
    unnamed = Defendant.objects.get(description="one of three co-defendants")  # partners' link
    partners_person = Defendant.objects.get(name="Chan Dara")
    monitors_person = Defendant.objects.get(name="Kept confidential")
    hearings = {level: public.hearings.filter(visibility=level).first() for level in Visibility}

    def decision(case, person, precision, level=Visibility.PUBLIC, charges=(), **fields):
        made = DecisionFactory(
            case=case,
            defendant=person,
            date=datetime.date(2024, 6, 21),
            date_precision=precision,
            visibility=level,
            **fields,
        )
        made.charges.set(charges)
        return made

    decision(
        public,
        named,
        DatePrecision.DAY,
        charges=public.charges.filter(defendant=named),  # of every level
        hearing=hearings[Visibility.PUBLIC],
        prison_months=24,
        suspended_months=6,
        fined=True,
        fine_riel=2_000_000,
        compensation_ordered=True,
        compensation_riel=500_000,
        compensation_to="the company",
        political_rights_ban_years=5,
        summary="ផ្តន្ទាទោស",
    )
    decision(
        public,
        named,
        DatePrecision.MONTH,
        hearing=hearings[Visibility.PARTNERS],  # named to partners only
        court=None,
        court_level=CourtLevel.APPEAL,
        kind=DecisionKind.UPHELD,
        in_absentia=True,
    )
    decision(
        public,
        unnamed,
        DatePrecision.YEAR,
        charges=public.charges.filter(defendant=unnamed),
        hearing=hearings[Visibility.MONITORS],  # named to no one below monitors
        kind=DecisionKind.BAIL_DENIED,
    )
    decision(public, partners_person, DatePrecision.APPROXIMATE, Visibility.PARTNERS)
    decision(public, named, DatePrecision.DAY, Visibility.MONITORS)
    decision(public, monitors_person, DatePrecision.DAY)
    decision(
        on_appeal,
        named,
        DatePrecision.DAY,
        charges=on_appeal.charges.all(),
        kind=DecisionKind.ACQUITTAL,
    )
    decision(for_partners, named, DatePrecision.MONTH, charges=for_partners.charges.all())
    decision(for_monitors, named, DatePrecision.DAY)

    def period(case, person, kind, start, precision, level=Visibility.PUBLIC, **fields):
        return CustodyPeriodFactory(
            case=case,
            defendant=person,
            kind=kind,
            start=start,
            start_precision=precision,
            visibility=level,
            **fields,
        )

    july = datetime.date(2023, 7, 14)
    period(public, named, CustodyKind.ARREST, july, DatePrecision.DAY, last_confirmed=None)
    period(
        public,
        named,
        CustodyKind.POLICE_CUSTODY,
        july,
        DatePrecision.DAY,
        end=datetime.date(2023, 7, 16),
        end_precision=DatePrecision.DAY,
        note="Held at the district police station.",
    )
    period(
        public,
        named,
        CustodyKind.PRETRIAL_DETENTION,
        july,
        DatePrecision.MONTH,
        end=datetime.date(2024, 2, 1),
        end_precision=DatePrecision.YEAR,
        last_confirmed=datetime.date(2024, 2, 29),
    )
    period(public, named, CustodyKind.BAIL, july, DatePrecision.YEAR, Visibility.PARTNERS)
    period(public, unnamed, CustodyKind.HOUSE_ARREST, july, DatePrecision.APPROXIMATE)
    period(public, named, CustodyKind.IMPRISONMENT, july, DatePrecision.DAY, Visibility.MONITORS)
    period(public, monitors_person, CustodyKind.RELEASED, july, DatePrecision.DAY)
    period(
        public,
        partners_person,
        CustodyKind.RELEASED,
        datetime.date(2024, 2, 1),
        DatePrecision.DAY,
        end=datetime.date(2024, 3, 1),
        end_precision=DatePrecision.APPROXIMATE,
    )
    period(on_appeal, named, CustodyKind.IMPRISONMENT, july, DatePrecision.MONTH)
    period(for_partners, named, CustodyKind.PRETRIAL_DETENTION, july, DatePrecision.DAY)
    period(for_monitors, named, CustodyKind.PRETRIAL_DETENTION, july, DatePrecision.DAY)

    verdict = SourceFactory(title="Verdict of the Phnom Penh Municipal Court")
    report = SourceFactory(title="ស្ថានភាពសិទ្ធិមនុស្ស", visibility=Visibility.PARTNERS)
    interview = SourceFactory(title="Interview notes", visibility=Visibility.MONITORS)
    for subject, source, paragraph, level, note in [
        (public, verdict, "12", Visibility.PUBLIC, "the date of the trial"),
        (public, verdict, "3", Visibility.PUBLIC, ""),
        (public, verdict, "", Visibility.PARTNERS, "the charges"),
        (public, report, "7", Visibility.PUBLIC, ""),
        (public, verdict, "40", Visibility.MONITORS, ""),
        (public, interview, "1", Visibility.PUBLIC, "kept by the monitors"),
        (on_appeal, report, "2", Visibility.PUBLIC, "the appeal"),
        (for_partners, verdict, "9", Visibility.PUBLIC, ""),
        (for_monitors, verdict, "1", Visibility.PUBLIC, ""),
    ]:
        CitationFactory(
            subject=subject, source=source, paragraph=paragraph, visibility=level, note=note
        )
    # Citations of what a case nests are the nested record's, not the case's.
    for model in (CaseDefendant, Charge, Hearing, Decision, CustodyPeriod, Defendant):
        for record in model.objects.filter(visibility=Visibility.PUBLIC)[:2]:
            CitationFactory(subject=record, source=verdict, paragraph="5")

    for model in (Case, Decision, CustodyPeriod):
        stamp(model)
    # A decision's "changed" time differs by level (core.models.ContainerModel).
    for pk, changed in Decision.objects.values_list("pk", "changed_public"):
        Decision.objects.filter(pk=pk).update(
            **{CHANGED_COLUMNS[Visibility.PARTNERS]: changed + datetime.timedelta(hours=1)}
        )


def as_json(data):
    """``data`` written by DRF's own renderer and read back."""
    return json.loads(JSONRenderer().render(data))


def viewer_request(viewer):
    request = Request(APIRequestFactory().get("/api/v1/cases/"))
    request.user = viewer
    return request


def detail_serialized(viewer):
    """What ``CaseDetailSerializer`` answers for the cases ``viewer`` may see, in id order."""
    cases = (
        Case.objects.visible_to(viewer)
        .order_by("id")
        .select_related("court__province")
        .prefetch_related(*case_prefetches(viewer, detail=True))
    )
    context = {"request": viewer_request(viewer)}
    return as_json(CaseDetailSerializer(cases, many=True, context=context).data)


def fast_details(viewer):
    """What ``listing.case_details`` answers for the cases ``viewer`` may see, in id order."""
    ids = Case.objects.visible_to(viewer).values_list("pk", flat=True)
    return as_json(listing.case_details(list(listing.case_rows(ids)), viewer))


@CALLERS
@pytest.mark.parametrize("zone", ["Asia/Phnom_Penh", "UTC", "America/St_Johns"])
def test_the_fast_detail_answers_what_the_serializer_answers(
    caller, zone, viewer_as, detailed_cases, settings
):
    settings.TIME_ZONE = zone

    assert fast_details(viewer_as(caller)) == detail_serialized(viewer_as(caller))


@CALLERS
def test_the_fast_detail_writes_keys_in_the_serializers_order(caller, viewer_as, detailed_cases):
    viewer = viewer_as(caller)

    assert key_orders(fast_details(viewer)) == key_orders(detail_serialized(viewer))


def readable(serializer):
    """The names of the fields ``serializer`` writes for its viewer, in order."""
    return [name for name, field in serializer.fields.items() if not field.write_only]


@CALLERS
def test_the_fast_detail_writes_every_field_the_serializers_declare(
    caller, viewer_as, detailed_cases
):
    """Not only those the data happens to fill: a field added to a serializer and not to the
    writer fails here even if no record in the test data has it."""
    viewer = viewer_as(caller)
    serializer = CaseDetailSerializer(context={"request": viewer_request(viewer)})
    public = Case.objects.get(title="Trial of the union leaders")  # every list filled
    [case] = [case for case in fast_details(viewer) if case["id"] == public.pk]
    nested = ("defendants", "charges", "hearings", "decisions", "custody_periods", "citations")

    assert list(case) == readable(serializer)
    for name in nested:
        assert list(case[name][0]) == readable(serializer.fields[name].child), name


@CALLERS
@pytest.mark.parametrize("cases", [1, 3])
def test_the_fast_detail_reads_eight_queries_whatever_the_number_of_cases(
    caller, cases, viewer_as, detailed_cases, django_assert_num_queries
):
    viewer = viewer_as(caller)
    ids = Case.objects.visible_to(viewer).order_by("pk").values_list("pk", flat=True)[:cases]
    rows = list(listing.case_rows(list(ids)))
    assert len(rows) == cases
    # tags, defendant links, charges, hearings, decisions, the charges they rule on, custody
    # periods, citations
    with django_assert_num_queries(8):
        listing.case_details(rows, viewer)


@LEVELS
def test_the_detail_endpoint_answers_the_serializers_detail(
    caller, api_as, viewer_as, detailed_cases
):
    client = api_as(caller)
    expected = detail_serialized(viewer_as(caller))

    assert [client.get(f"/api/v1/cases/{case['id']}/").json() for case in expected] == expected


@LEVELS
def test_the_case_export_answers_the_serializers_details(caller, api_as, viewer_as, detailed_cases):
    response = api_as(caller).get("/api/v1/export/cases.json")

    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content)) == detail_serialized(viewer_as(caller))


@CALLERS
def test_the_detail_of_a_case_the_caller_may_not_see_is_a_404(api_as, caller, detailed_cases):
    hidden = Case.objects.get(visibility=Visibility.MONITORS)

    assert api_as(caller).get(f"/api/v1/cases/{hidden.pk}/").status_code == 404


@CALLERS
def test_fields_keeps_only_the_named_fields_of_the_fast_detail(api_as, caller, detailed_cases):
    public = Case.objects.get(title="Trial of the union leaders")

    body = api_as(caller).get(f"/api/v1/cases/{public.pk}/?fields=id,citations").json()

    assert list(body) == ["id", "citations"]
    assert body["citations"]
