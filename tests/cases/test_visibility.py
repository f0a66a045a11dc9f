import pytest
from django.contrib.auth.models import AnonymousUser

from cases.models import Case, Charge
from core.visibility import Visibility, level_for
from hearings.models import Hearing
from tests.factories import CaseFactory, ChargeFactory, HearingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_at_every_level():
    return {level: CaseFactory(title=level.name, visibility=level) for level in Visibility}


def titles(queryset):
    return set(queryset.values_list("title", flat=True))


def test_anonymous_readers_see_only_public_cases(cases_at_every_level):
    assert titles(Case.objects.visible_to(AnonymousUser())) == {"PUBLIC"}


def test_partners_see_public_and_partner_cases(cases_at_every_level, partner):
    assert titles(Case.objects.visible_to(partner)) == {"PUBLIC", "PARTNERS"}


def test_monitors_see_every_case(cases_at_every_level, monitor):
    assert titles(Case.objects.visible_to(monitor)) == {"PUBLIC", "PARTNERS", "MONITORS"}


def test_editors_see_every_case(cases_at_every_level, editor):
    assert titles(Case.objects.visible_to(editor)) == {"PUBLIC", "PARTNERS", "MONITORS"}


def test_a_logged_in_user_without_a_role_sees_only_public_cases(cases_at_every_level):
    assert titles(Case.objects.visible_to(UserFactory())) == {"PUBLIC"}


def test_an_inactive_monitor_sees_only_public_cases(cases_at_every_level):
    user = UserFactory(role="Monitor")
    user.is_active = False
    user.save()

    assert level_for(user) == Visibility.PUBLIC


def test_a_public_fact_of_a_confidential_case_is_hidden():
    HearingFactory(case=CaseFactory(visibility=Visibility.MONITORS), visibility=Visibility.PUBLIC)

    assert not Hearing.objects.visible_to(AnonymousUser()).exists()


def test_a_public_charge_against_a_partner_level_person_is_hidden_from_the_public(partner):
    charge = ChargeFactory(defendant__visibility=Visibility.PARTNERS)

    assert not Charge.objects.visible_to(AnonymousUser()).exists()
    assert list(Charge.objects.visible_to(partner)) == [charge]


def test_a_viewer_can_be_a_level():
    CaseFactory(title="PARTNERS", visibility=Visibility.PARTNERS)

    assert titles(Case.objects.visible_to(Visibility.PARTNERS)) == {"PARTNERS"}


def test_new_records_are_confidential_by_default():
    assert Case().visibility == Visibility.MONITORS


def test_is_visible_to_uses_the_same_rule(partner):
    case = CaseFactory(visibility=Visibility.PARTNERS)

    assert case.is_visible_to(partner)
    assert not case.is_visible_to(AnonymousUser())
