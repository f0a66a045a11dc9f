"""Following a case or a person by e-mail: double opt-in, change mails sent by the periodic
Celery job (eager in tests), one-click unsubscribe, and no address shown anywhere."""

import datetime
import re

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.visibility import Visibility
from following import services
from following.models import Follow
from following.tasks import send_follow_alerts
from tests.factories import CaseFactory, DefendantFactory, HearingFactory

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.org"


@pytest.fixture
def case():
    return CaseFactory(title="Trial of the river activists", visibility=Visibility.PUBLIC)


def ask(client, case, capture, email=ADDRESS, prefix=""):
    with capture(execute=True):
        return client.post(f"{prefix}/cases/{case.pk}/follow/", {"email": email})


def link_in(message, name):
    pattern = {
        "confirm": r"https?://\S+/follow/confirm/\S+/",
        "unsub": r"https?://\S+/follow/unsubscribe/\S+/",
    }
    return re.search(pattern[name], message.body).group(0)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def confirmed(client, case, capture):
    ask(client, case, capture)
    client.post(path_of(link_in(mail.outbox[-1], "confirm")))
    mail.outbox.clear()
    return Follow.objects.get()


def test_asking_sends_one_confirmation_mail(client, case, django_capture_on_commit_callbacks):
    response = ask(client, case, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS]
    assert "Trial of the river activists" in mail.outbox[0].subject
    assert "/follow/confirm/" in mail.outbox[0].body


def test_the_answer_page_never_shows_the_address(client, case, django_capture_on_commit_callbacks):
    response = ask(client, case, django_capture_on_commit_callbacks)
    assert ADDRESS not in response.content.decode()


def test_nothing_is_sent_about_changes_before_confirming(
    client, case, django_capture_on_commit_callbacks
):
    ask(client, case, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    HearingFactory(case=case, visibility=Visibility.PUBLIC)
    assert send_follow_alerts() == 0
    assert mail.outbox == []


def test_opening_the_confirmation_link_confirms_nothing_until_the_button_is_pressed(
    client, case, django_capture_on_commit_callbacks
):
    ask(client, case, django_capture_on_commit_callbacks)
    url = path_of(link_in(mail.outbox[0], "confirm"))
    page = client.get(url)
    assert page.status_code == 200
    assert Follow.objects.get().confirmed_at is None
    client.post(url)
    assert Follow.objects.get().confirmed_at is not None


def test_a_public_change_after_confirming_sends_one_change_mail(
    client, case, django_capture_on_commit_callbacks
):
    confirmed(client, case, django_capture_on_commit_callbacks)
    HearingFactory(case=case, visibility=Visibility.PUBLIC)
    assert send_follow_alerts() == 1
    (message,) = mail.outbox
    assert "was updated" in message.subject
    assert f"/cases/{case.pk}/" in message.body
    assert send_follow_alerts() == 0  # told once


def test_change_mails_carry_one_click_unsubscribe_headers(
    client, case, django_capture_on_commit_callbacks
):
    confirmed(client, case, django_capture_on_commit_callbacks)
    HearingFactory(case=case, visibility=Visibility.PUBLIC)
    send_follow_alerts()
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].strip("<>") == link_in(mail.outbox[0], "unsub")


def test_a_change_only_monitors_see_sends_nothing(client, case, django_capture_on_commit_callbacks):
    confirmed(client, case, django_capture_on_commit_callbacks)
    HearingFactory(case=case, visibility=Visibility.MONITORS)
    assert send_follow_alerts() == 0
    assert mail.outbox == []


def test_a_case_hidden_from_the_public_is_never_mentioned_again(
    client, case, django_capture_on_commit_callbacks
):
    confirmed(client, case, django_capture_on_commit_callbacks)
    case.visibility = Visibility.MONITORS
    case.save()
    assert send_follow_alerts() == 0
    assert mail.outbox == []


def test_one_click_unsubscribe_without_a_form_deletes_the_address(
    client, case, django_capture_on_commit_callbacks
):
    confirmed(client, case, django_capture_on_commit_callbacks)
    HearingFactory(case=case, visibility=Visibility.PUBLIC)
    send_follow_alerts()
    url = path_of(link_in(mail.outbox[0], "unsub"))
    client.handler.enforce_csrf_checks = True  # as a mail program posts: no CSRF token
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.exists()


def test_opening_the_unsubscribe_link_asks_before_deleting(
    client, case, django_capture_on_commit_callbacks
):
    follow = confirmed(client, case, django_capture_on_commit_callbacks)
    page = client.get(reverse("follow-unsubscribe", args=[services.unsubscribe_token(follow)]))
    assert page.status_code == 200
    assert Follow.objects.exists()


def test_an_invalid_address_is_a_form_error_and_records_nothing(
    client, case, django_capture_on_commit_callbacks
):
    response = ask(client, case, django_capture_on_commit_callbacks, email="not an address")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Follow.objects.exists()
    assert mail.outbox == []


def test_asking_twice_within_minutes_sends_one_mail(
    client, case, django_capture_on_commit_callbacks
):
    ask(client, case, django_capture_on_commit_callbacks)
    second = ask(client, case, django_capture_on_commit_callbacks, email=ADDRESS.upper())
    assert "Check your inbox" in second.content.decode()
    assert len(mail.outbox) == 1
    assert Follow.objects.count() == 1


def test_an_address_already_following_gets_the_same_answer_and_no_mail(
    client, case, django_capture_on_commit_callbacks
):
    confirmed(client, case, django_capture_on_commit_callbacks)
    response = ask(client, case, django_capture_on_commit_callbacks)
    assert "Check your inbox" in response.content.decode()
    assert mail.outbox == []


def test_one_address_gets_at_most_five_confirmation_mails_a_day(
    client, django_capture_on_commit_callbacks
):
    for _ in range(7):
        ask(client, CaseFactory(), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == services.PENDING_PER_DAY


def test_a_case_the_public_cannot_see_cannot_be_followed(
    client, django_capture_on_commit_callbacks
):
    hidden = CaseFactory(visibility=Visibility.MONITORS)
    assert ask(client, hidden, django_capture_on_commit_callbacks).status_code == 404
    assert not Follow.objects.exists()


def test_an_altered_confirmation_link_is_refused(client, case, django_capture_on_commit_callbacks):
    ask(client, case, django_capture_on_commit_callbacks)
    url = path_of(link_in(mail.outbox[0], "confirm"))
    assert client.post(url.replace("/confirm/", "/confirm/x")).status_code == 404
    assert Follow.objects.get().confirmed_at is None


def test_a_confirmation_link_expires_after_a_week(client, case, django_capture_on_commit_callbacks):
    ask(client, case, django_capture_on_commit_callbacks)
    url = path_of(link_in(mail.outbox[0], "confirm"))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(url)
    assert response.status_code == 404
    assert "expired" in response.content.decode()
    assert Follow.objects.get().confirmed_at is None


def test_a_reader_of_the_khmer_site_gets_mails_linking_to_khmer_pages(
    client, case, django_capture_on_commit_callbacks
):
    ask(client, case, django_capture_on_commit_callbacks, prefix="/km")
    assert "/km/follow/confirm/" in mail.outbox[0].body
    assert f"/km/cases/{case.pk}/" in mail.outbox[0].body


def test_a_person_can_be_followed(client, django_capture_on_commit_callbacks):
    person = DefendantFactory(name="Sok Dara", visibility=Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{person.pk}/follow/", {"email": ADDRESS})
    assert "Sok Dara" in mail.outbox[0].subject
    assert Follow.objects.get().defendant == person


def test_no_admin_page_shows_followers():
    assert Follow not in admin.site._registry
