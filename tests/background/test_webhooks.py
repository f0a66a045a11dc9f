"""Partner webhooks. ``collect`` turns what monitors changed (read from history) into one
delivery per webhook for each record the partner may see; ``deliver`` POSTs it, signed, to a
real HTTP server on 127.0.0.1, and retries with exponential backoff what retrying can fix."""

import datetime
import hashlib
import hmac
import json
import socket

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Case
from core.visibility import Visibility
from exchange.tasks import collect_webhook_events, deliver_due_webhooks, deliver_webhook
from exchange.webhooks import collect, deliver
from hearings.models import Hearing, HearingKind
from hearings.services import hearing_log
from partners.models import DeliveryStatus, Webhook, WebhookDelivery
from tests.factories import (
    AffiliationFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    DecisionFactory,
    DefendantFactory,
    WebhookDeliveryFactory,
    WebhookFactory,
    cited_to_a_report,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MADE = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # the records are made
HOOKED = MADE + datetime.timedelta(minutes=1)  # the webhooks are made: their cursor
CHANGED = MADE + datetime.timedelta(hours=1)  # a monitor changes something
COLLECTED = CHANGED + datetime.timedelta(minutes=1)  # the collector runs


def at(moment):
    return time_machine.travel(moment, tick=False)


def log_hearing(case, visibility=Visibility.MONITORS, **fields):
    """A monitor logs a hearing of ``case`` the way the admin's "Log a hearing" page does."""
    hearing = Hearing(
        court=case.court, date=datetime.date(2025, 3, 3), kind=HearingKind.TRIAL, **fields
    )
    # Cited to a monitors-only note: partners receive the hearing, not its source.
    citation = cited_to_a_report(visibility=Visibility.MONITORS)
    return hearing_log(case=case, hearing=hearing, visibility=visibility, citation=citation)[0]


def deliveries(webhook):
    return set(webhook.deliveries.values_list("record_type", "record_id", "event"))


@pytest.fixture
def public_case(webhook):
    """A public case made before the webhook, which collects what changes after HOOKED."""
    with at(MADE):
        case = CaseFactory(visibility=Visibility.PUBLIC)
    webhook.cursor = HOOKED
    webhook.save()
    return case


# --- Collecting changes ------------------------------------------------------------------------


def test_a_hearing_logged_for_partners_becomes_one_delivery_per_webhook(public_case, webhook):
    second = WebhookFactory(cursor=HOOKED)
    with at(CHANGED):
        hearing = log_hearing(public_case, visibility=Visibility.PARTNERS)

    with at(COLLECTED):
        collect(webhook)
        collect(second)

    assert deliveries(webhook) == {("hearings", hearing.pk, "created")}
    assert deliveries(second) == {("hearings", hearing.pk, "created")}


def test_the_delivery_carries_the_record_as_the_api_gives_it_to_the_partner(public_case, webhook):
    with at(CHANGED):
        hearing = log_hearing(
            public_case, visibility=Visibility.PARTNERS, monitor_notes="The judge seemed hostile"
        )

    with at(COLLECTED):
        collect(webhook)

    payload = webhook.deliveries.get().payload
    assert payload["id"] == webhook.deliveries.get().idempotency_key
    assert (payload["event"], payload["type"], payload["record_id"]) == (
        "created",
        "hearings",
        hearing.pk,
    )
    assert (payload["data"]["id"], payload["data"]["case"]) == (hearing.pk, public_case.pk)
    assert "monitor_notes" not in payload["data"]
    assert "hostile" not in json.dumps(payload)


def test_saving_a_record_becomes_an_updated_delivery(public_case, webhook):
    with at(CHANGED):
        public_case.title = "Trial of the union leaders (appeal)"
        public_case.save()

    with at(COLLECTED):
        collect(webhook)

    delivery = webhook.deliveries.get()
    assert (delivery.record_type, delivery.record_id, delivery.event) == (
        "cases",
        public_case.pk,
        "updated",
    )
    assert delivery.payload["data"]["title"] == "Trial of the union leaders (appeal)"


def test_a_monitors_only_record_is_never_collected(public_case, webhook):
    with at(CHANGED):
        log_hearing(public_case, visibility=Visibility.MONITORS)

    with at(COLLECTED):
        collect(webhook)
    with at(COLLECTED + datetime.timedelta(hours=1)):
        collect(webhook)

    assert not WebhookDelivery.objects.exists()


def test_a_public_hearing_of_a_monitors_only_case_is_never_collected(webhook):
    with at(MADE):
        confidential = CaseFactory(visibility=Visibility.MONITORS)
    webhook.cursor = HOOKED
    webhook.save()
    with at(CHANGED):
        log_hearing(confidential, visibility=Visibility.PUBLIC)

    with at(COLLECTED):
        collect(webhook)

    assert not WebhookDelivery.objects.exists()


def test_a_decision_is_sent_without_the_charges_the_partner_may_not_see(public_case, webhook):
    with at(MADE):
        shown = ChargeFactory(case=public_case, visibility=Visibility.PUBLIC)
        hidden = ChargeFactory(
            case=public_case, defendant=shown.defendant, visibility=Visibility.MONITORS
        )
    with at(CHANGED):
        decision = DecisionFactory(
            case=public_case, defendant=shown.defendant, visibility=Visibility.PUBLIC
        )
        decision.charges.add(shown, hidden)

    with at(COLLECTED):
        collect(webhook)

    sent = webhook.deliveries.get(record_type="decisions").payload["data"]
    assert (sent["id"], sent["charges"]) == (decision.pk, [shown.pk])


def test_a_public_citation_of_a_monitors_only_case_is_never_collected(webhook):
    with at(MADE):
        hidden_case = CaseFactory(visibility=Visibility.MONITORS)
    webhook.cursor = HOOKED
    webhook.save()
    with at(CHANGED):
        citation = CitationFactory(subject=hidden_case, visibility=Visibility.PUBLIC)

    with at(COLLECTED):
        collect(webhook)

    # Its source is public, and sent; the citation would tell what it says of the hidden case.
    assert deliveries(webhook) == {("sources", citation.source_id, "created")}


def test_a_record_hidden_later_is_sent_as_hidden_without_its_data(public_case, webhook):
    with at(CHANGED):
        public_case.title = "Trial of the union leaders (appeal)"
        public_case.save()
    with at(COLLECTED):
        collect(webhook)
    with at(COLLECTED + datetime.timedelta(minutes=5)):
        public_case.visibility = Visibility.MONITORS
        public_case.save()

    with at(COLLECTED + datetime.timedelta(minutes=10)):
        collect(webhook)

    assert deliveries(webhook) == {
        ("cases", public_case.pk, "updated"),
        ("cases", public_case.pk, "hidden"),
    }
    hidden = webhook.deliveries.get(event="hidden")
    assert hidden.payload["data"] is None


def test_hiding_a_case_hides_the_hearings_the_partner_saw_in_it(public_case, webhook):
    with at(CHANGED):
        hearing = log_hearing(public_case, visibility=Visibility.PUBLIC)
    with at(COLLECTED):
        collect(webhook)
    with at(COLLECTED + datetime.timedelta(minutes=5)):
        public_case.visibility = Visibility.MONITORS
        public_case.save()

    with at(COLLECTED + datetime.timedelta(minutes=10)):
        collect(webhook)

    hidden = webhook.deliveries.filter(event="hidden")
    assert set(hidden.values_list("record_type", "record_id")) == {
        ("cases", public_case.pk),
        ("hearings", hearing.pk),
    }


def test_a_deleted_record_is_sent_as_deleted_without_its_data(public_case, webhook):
    with at(CHANGED):
        hearing = log_hearing(public_case, visibility=Visibility.PARTNERS)
    with at(COLLECTED):
        collect(webhook)
    hearing_id = hearing.pk
    with at(COLLECTED + datetime.timedelta(minutes=5)):
        hearing.delete()

    with at(COLLECTED + datetime.timedelta(minutes=10)):
        collect(webhook)

    deleted = webhook.deliveries.get(event="deleted")
    assert (deleted.record_type, deleted.record_id, deleted.payload["data"]) == (
        "hearings",
        hearing_id,
        None,
    )


def test_collecting_the_same_changes_again_creates_nothing_new(public_case, webhook):
    with at(CHANGED):
        log_hearing(public_case, visibility=Visibility.PARTNERS)
    with at(COLLECTED):
        collect(webhook)
        # As if the cursor had not been saved (a run that crashed): the same window again.
        webhook.cursor = HOOKED

        created = collect(webhook)

    assert created == 0
    assert webhook.deliveries.count() == 1


def test_a_change_younger_than_the_lag_waits_for_the_next_run(public_case, webhook, settings):
    settings.WEBHOOK_COLLECT_LAG_SECONDS = 30
    with at(CHANGED):
        log_hearing(public_case, visibility=Visibility.PARTNERS)

    with at(CHANGED + datetime.timedelta(seconds=30)):
        assert collect(webhook) == 0
    webhook.refresh_from_db()
    assert webhook.cursor == CHANGED
    with at(CHANGED + datetime.timedelta(seconds=31)):
        assert collect(webhook) == 1
    webhook.refresh_from_db()
    assert webhook.cursor == CHANGED + datetime.timedelta(seconds=1)


def test_a_record_hidden_within_the_lag_is_sent_as_hidden_by_the_next_run(public_case, webhook):
    with at(CHANGED):
        public_case.visibility = Visibility.PARTNERS
        public_case.save()
    with at(COLLECTED):
        collect(webhook)
        public_case.visibility = Visibility.MONITORS
        public_case.save()
    with at(COLLECTED + datetime.timedelta(seconds=10)):
        collect(webhook)
    assert not webhook.deliveries.filter(event="hidden").exists()

    with at(COLLECTED + datetime.timedelta(seconds=31)):
        collect(webhook)

    assert webhook.deliveries.filter(event="hidden").count() == 1


def test_the_collector_task_skips_an_inactive_webhook(public_case, webhook):
    paused = WebhookFactory(is_active=False, cursor=HOOKED)
    with at(CHANGED):
        log_hearing(public_case, visibility=Visibility.PARTNERS)

    with at(COLLECTED):
        collect_webhook_events.delay()

    assert webhook.deliveries.count() == 1
    assert not paused.deliveries.exists()


def test_a_webhook_must_use_https_unless_http_is_allowed(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    hook = WebhookFactory.build(url="http://partner.example/hook")

    with pytest.raises(ValidationError, match="https"):
        hook.full_clean(exclude=["partner"])


# --- Delivering --------------------------------------------------------------------------------


@pytest.fixture
def delivery(webhook):
    return WebhookDeliveryFactory(webhook=webhook)


def closed_port():
    """A port on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_delivery_is_posted_as_json_to_the_webhook_url(delivery, receiver):
    deliver(delivery)

    [request] = receiver.requests
    assert request.path == "/hooks/tracker"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == delivery.payload


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_body(delivery, receiver, webhook):
    deliver(delivery)

    [request] = receiver.requests
    timestamp = request.headers["X-Tracker-Timestamp"]
    expected = hmac.new(
        webhook.secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(request.headers["X-Tracker-Signature"], f"sha256={expected}")


def test_the_timestamp_is_the_time_of_sending(delivery, receiver):
    with at(CHANGED):
        deliver(delivery)

    assert receiver.requests[0].headers["X-Tracker-Timestamp"] == str(int(CHANGED.timestamp()))


def test_the_delivery_header_is_the_idempotency_key(delivery, receiver):
    deliver(delivery)

    assert receiver.requests[0].headers["X-Tracker-Delivery"] == delivery.idempotency_key


def test_a_delivery_the_server_accepted_is_recorded_as_delivered(delivery, receiver):
    with at(CHANGED):
        status = deliver(delivery)

    delivery.refresh_from_db()
    assert status == DeliveryStatus.DELIVERED
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    assert delivery.delivered_at == CHANGED


def test_a_server_error_is_retried_after_30_seconds_then_60_then_120(delivery, receiver):
    receiver.statuses = [500, 500, 500]
    sent_at = CHANGED
    for attempts, wait in [(1, 30), (2, 60), (3, 120)]:
        with at(sent_at):
            deliver(delivery)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            DeliveryStatus.PENDING,
            attempts,
            500,
        )
        assert delivery.next_attempt_at == sent_at + datetime.timedelta(seconds=wait)
        sent_at = delivery.next_attempt_at


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
def test_a_failure_retrying_can_fix_stays_pending(delivery, receiver, status):
    receiver.statuses = [status]

    deliver(delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        DeliveryStatus.PENDING,
        status,
        f"HTTP {status}",
    )


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_a_refusal_retrying_cannot_fix_fails_at_once(delivery, receiver, status):
    receiver.statuses = [status]
    with at(CHANGED):
        deliver(delivery)

    with at(CHANGED + datetime.timedelta(days=1)):
        deliver_due_webhooks.delay()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.FAILED,
        1,
        status,
    )
    assert len(receiver.requests) == 1


def test_a_refused_connection_is_retried(webhook):
    webhook.url = f"http://127.0.0.1:{closed_port()}/hook"
    webhook.save()
    delivery = WebhookDeliveryFactory(webhook=webhook)

    with at(CHANGED):
        deliver(delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.PENDING,
        1,
        None,
    )
    assert "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at == CHANGED + datetime.timedelta(seconds=30)


def test_a_delivery_fails_after_the_last_attempt(delivery, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.statuses = [500, 500, 500, 500]

    for _ in range(3):
        deliver(delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert len(receiver.requests) == 3


def test_deliver_webhook_sends_a_pending_delivery(delivery, receiver):
    result = deliver_webhook.delay(delivery.pk).get()

    assert result == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED])
def test_deliver_webhook_does_not_send_a_delivery_that_is_done(webhook, receiver, status):
    done = WebhookDeliveryFactory(webhook=webhook, status=status, attempts=1)

    result = deliver_webhook.delay(done.pk).get()

    assert result is None
    assert receiver.requests == []
    done.refresh_from_db()
    assert done.attempts == 1


def test_deliver_due_webhooks_sends_only_deliveries_whose_time_has_come(webhook, receiver):
    due = WebhookDeliveryFactory(webhook=webhook, next_attempt_at=CHANGED)
    WebhookDeliveryFactory(webhook=webhook, next_attempt_at=CHANGED + datetime.timedelta(hours=1))

    with at(CHANGED + datetime.timedelta(minutes=1)):
        sent = deliver_due_webhooks.delay().get()

    assert sent == 1
    assert [r.headers["X-Tracker-Delivery"] for r in receiver.requests] == [due.idempotency_key]


def test_a_partner_receives_the_hearing_a_monitor_logged(public_case, webhook, receiver):
    with at(CHANGED):
        hearing = log_hearing(public_case, visibility=Visibility.PARTNERS)

    with at(COLLECTED):
        collect_webhook_events.delay()
        deliver_due_webhooks.delay()

    [request] = receiver.requests
    body = json.loads(request.body)
    assert (body["type"], body["record_id"], body["event"]) == ("hearings", hearing.pk, "created")
    assert webhook.deliveries.get().status == DeliveryStatus.DELIVERED


# --- Failures in the admin ---------------------------------------------------------------------

DELIVERIES_URL = "/admin/partners/webhookdelivery/"


@pytest.fixture
def failed(delivery, receiver):
    receiver.statuses = [400]
    deliver(delivery)
    return delivery


def test_an_editor_sees_failed_deliveries_in_the_admin(client, editor, failed, webhook):
    WebhookDeliveryFactory(webhook=webhook, status=DeliveryStatus.DELIVERED)
    client.force_login(editor)

    response = client.get(DELIVERIES_URL, {"status__exact": "failed"})

    assert response.status_code == 200
    assert [d.pk for d in response.context["cl"].result_list] == [failed.pk]
    assert "HTTP 400" in response.content.decode()


def test_an_editor_sees_how_many_deliveries_of_a_webhook_failed(client, editor, failed):
    client.force_login(editor)

    response = client.get("/admin/partners/webhook/")

    assert response.status_code == 200
    [row] = response.context["cl"].result_list
    assert response.context["cl"].model_admin.failed_deliveries(row) == 1


def test_an_editor_can_retry_a_failed_delivery_from_the_admin(client, editor, failed):
    client.force_login(editor)

    response = client.post(DELIVERIES_URL, {"action": "retry_now", "_selected_action": [failed.pk]})

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING


def test_a_monitor_cannot_see_webhook_deliveries(client, monitor, failed):
    client.force_login(monitor)

    assert client.get(DELIVERIES_URL).status_code == 403


def test_nobody_adds_a_delivery_by_hand(client, editor):
    client.force_login(editor)

    assert client.get(f"{DELIVERIES_URL}add/").status_code == 403


def test_an_editor_adds_a_webhook_for_a_partner_in_the_admin(client, editor, partner_org):
    client.force_login(editor)
    form = client.get("/admin/partners/webhook/add/").context["adminform"].form

    response = client.post(
        "/admin/partners/webhook/add/",
        {
            "partner": partner_org.pk,
            "url": "https://friendly-ngo.example/hooks/tracker",
            "is_active": "on",
            "secret": form["secret"].value(),
        },
    )

    assert response.status_code == 302
    assert Webhook.objects.get().url == "https://friendly-ngo.example/hooks/tracker"


def test_a_webhook_url_typed_without_its_scheme_is_https(client, editor, partner_org, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    client.force_login(editor)
    form = client.get("/admin/partners/webhook/add/").context["adminform"].form

    client.post(
        "/admin/partners/webhook/add/",
        {
            "partner": partner_org.pk,
            "url": "friendly-ngo.example/hooks/tracker",
            "is_active": "on",
            "secret": form["secret"].value(),
        },
    )

    assert Webhook.objects.get().url == "https://friendly-ngo.example/hooks/tracker"


# --- Links between records -----------------------------------------------------------------


def test_linking_a_public_person_to_a_public_case_is_delivered(public_case, webhook):
    with at(MADE):
        person = DefendantFactory(visibility=Visibility.PUBLIC)
    with at(CHANGED):
        link = CaseDefendantFactory(case=public_case, defendant=person)

    with at(COLLECTED):
        collect(webhook)

    assert deliveries(webhook) == {("case-defendants", link.pk, "created")}
    data = webhook.deliveries.get().payload["data"]
    assert (data["case"], data["defendant"]) == (public_case.pk, person.pk)


def test_a_monitors_only_link_is_never_delivered(public_case, webhook):
    with at(MADE):
        person = DefendantFactory(visibility=Visibility.PUBLIC)
    with at(CHANGED):
        CaseDefendantFactory(case=public_case, defendant=person, visibility=Visibility.MONITORS)

    with at(COLLECTED):
        collect(webhook)

    assert not WebhookDelivery.objects.exists()


def test_an_affiliation_of_a_public_person_is_delivered(webhook):
    with at(MADE):
        person = DefendantFactory(visibility=Visibility.PUBLIC)
    webhook.cursor = HOOKED
    webhook.save()
    with at(CHANGED):
        affiliation = AffiliationFactory(defendant=person)

    with at(COLLECTED):
        collect(webhook)

    assert deliveries(webhook) == {("affiliations", affiliation.pk, "created")}


def test_editing_a_hidden_record_sends_no_second_hidden_event(public_case, webhook):
    """Issue 20, finding 3: each monitors-only edit of a hidden record must not tell the
    partner that something happened to it."""
    with at(CHANGED):
        public_case.visibility = Visibility.MONITORS
        public_case.save()
    with at(COLLECTED):
        collect(webhook)
    assert webhook.deliveries.filter(event="hidden").count() == 1

    for minutes in (5, 10):
        with at(COLLECTED + datetime.timedelta(minutes=minutes)):
            public_case.title = f"Edited {minutes}"
            public_case.save()
        with at(COLLECTED + datetime.timedelta(minutes=minutes + 2)):
            collect(webhook)

    assert webhook.deliveries.filter(event="hidden").count() == 1
    assert deliveries(webhook) == {("cases", public_case.pk, "hidden")}


# --- What is re-checked before each attempt, and where deliveries may go -----------------------


def test_a_delivery_of_a_record_hidden_since_it_was_queued_is_cancelled(delivery, receiver):
    Case.objects.filter(pk=delivery.record_id).update(visibility=Visibility.MONITORS)

    assert deliver(delivery) == DeliveryStatus.CANCELLED
    delivery.refresh_from_db()
    assert "no longer visible" in delivery.last_error
    assert receiver.requests == []


def test_a_delivery_of_a_switched_off_webhook_is_cancelled(delivery, receiver, webhook):
    webhook.is_active = False
    webhook.save()

    deliver_webhook(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.CANCELLED,
        "The webhook is switched off.",
    )
    assert receiver.requests == []


def test_a_delivery_to_a_deactivated_partner_is_cancelled(delivery, receiver, partner_org):
    partner_org.is_active = False
    partner_org.save()

    deliver_webhook(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert "partner" in delivery.last_error
    assert receiver.requests == []


def test_a_hidden_event_is_still_sent_when_its_record_is_hidden(webhook, receiver):
    case = CaseFactory(visibility=Visibility.MONITORS)
    delivery = WebhookDeliveryFactory(webhook=webhook, event="hidden", record_id=case.pk)

    assert deliver(delivery) == DeliveryStatus.DELIVERED


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://224.0.0.1/hook",
        "https://240.0.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://2130706433/hook",
    ],
)
def test_a_webhook_to_a_non_public_address_is_refused_on_save(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS = False
    hook = WebhookFactory.build(url=url)

    with pytest.raises(ValidationError, match="public"):
        hook.full_clean(exclude=["partner"])


def test_a_webhook_to_a_public_name_is_accepted_on_save(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS = False
    hook = WebhookFactory.build(url="https://partner.example/hooks/tracker")

    hook.full_clean(exclude=["partner"])


def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery(
    delivery, receiver, webhook, settings, monkeypatch
):
    """The name passed the check on save; its address changed since (DNS rebinding)."""
    settings.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS = False
    Webhook.objects.filter(pk=webhook.pk).update(
        url=f"http://partner.example:{receiver.server.server_port}/hook"
    )
    delivery.webhook.refresh_from_db()
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "partner.example":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    assert deliver(delivery) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert "not a public address" in delivery.last_error
    assert receiver.requests == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failure_and_is_not_followed(delivery, receiver, status):
    receiver.statuses = [status]
    receiver.location = "http://169.254.169.254/latest/meta-data/"

    assert deliver(delivery) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.last_status_code == status
    assert delivery.last_error == f"HTTP {status} (redirects are not followed)"
    assert len(receiver.requests) == 1


def test_an_editor_sees_the_status_code_but_not_the_body_of_an_answer(
    client, editor, delivery, receiver
):
    receiver.statuses = [400]
    receiver.body = b"secret internal page: root password"
    deliver(delivery)
    client.force_login(editor)

    page = client.get(f"{DELIVERIES_URL}{delivery.pk}/change/").content.decode()

    assert "HTTP 400" in page
    assert "root password" not in page
