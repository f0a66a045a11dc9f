"""Partner organisations that read the tracker through the API, and the API tokens they use.

A token's secret is shown once, when an Admin creates it, and stored only as a SHA-256 hash
(the secret is 32 random bytes, so a plain hash cannot be guessed back). Tokens expire and can
be revoked. A token belongs either to a partner organisation (reads partner-level records) or to
a Partner user. Staff (Monitors, Editors, Admins) use the API through their logged-in session,
behind their second factor: a token in their name would bypass it.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import roles
from core.destinations import validate_public_url
from core.visibility import Visibility

TOKEN_PREFIX_LENGTH = 8


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def default_expiry():
    return timezone.now() + datetime.timedelta(days=365)


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")

    def __str__(self):
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("What the token is for."))
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
    )
    prefix = models.CharField(
        _("prefix"), max_length=TOKEN_PREFIX_LENGTH, unique=True, editable=False
    )
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["secret_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(partner__isnull=False, user__isnull=True)
                    | models.Q(partner__isnull=True, user__isnull=False)
                ),
                name="token_belongs_to_partner_or_user",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        if bool(self.partner_id) == bool(self.user_id):
            raise ValidationError(_("A token belongs to a partner organisation or to a user."))
        # A token for a staff account would act in that person's name without their second
        # factor: tokens are for partners only.
        if self._state.adding and self.user_id and not roles.is_partner_account(self.user):
            raise ValidationError({"user": _("API tokens are issued only to partner accounts.")})

    @classmethod
    def issue(cls, *, name, partner=None, user=None, created_by=None, expires_at=None):
        """Create a token and return ``(token, secret)``. The secret is not stored."""
        token = cls(name=name, partner=partner, user=user, created_by=created_by)
        if expires_at:
            token.expires_at = expires_at
        secret = token.set_new_secret()
        token.full_clean(exclude=["prefix", "secret_hash"])
        token.save()
        return token, secret

    def set_new_secret(self):
        self.prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        body = secrets.token_urlsafe(32)
        self.secret_hash = hash_secret(body)
        return f"{self.prefix}.{body}"

    @classmethod
    def authenticate(cls, presented):
        """The usable token matching ``presented``, or None."""
        prefix, _, body = presented.partition(".")
        if not body:
            return None
        token = cls.objects.usable().select_related("partner", "user").filter(prefix=prefix).first()
        if token is None or not secrets.compare_digest(token.secret_hash, hash_secret(body)):
            return None
        if token.partner_id and not token.partner.is_active:
            return None
        if token.user_id and not token.user.is_active:
            return None
        return token

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save()

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class PartnerPrincipal:
    """Who a partner token acts as: not a user, but a reader at partner level."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    visibility_level = Visibility.PARTNERS
    pk = None
    id = None

    def __init__(self, partner):
        self.partner = partner
        self.username = f"partner:{partner.pk}"

    def __str__(self):
        return str(self.partner)

    def has_perm(self, perm, obj=None):
        return False

    def has_perms(self, perms, obj=None):
        return False


def new_webhook_secret():
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A partner's URL that receives changes to the records the partner may see."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500, validators=[validate_public_url])
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_webhook_secret,
        help_text=_(
            "Share it with the partner: they check each delivery's HMAC signature with it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Changes recorded in history up to this time have been turned into deliveries.
    cursor = models.DateTimeField(_("collected up to"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret", "cursor"])

    class Meta:
        ordering = ["partner__name", "url"]
        verbose_name = _("webhook")

    def __str__(self):
        return f"{self.partner}: {self.url}"

    def clean(self):
        if not self.url.startswith("https://") and not settings.WEBHOOK_ALLOW_HTTP:
            raise ValidationError({"url": _("Webhooks must use https://.")})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
    # Not sent: the webhook or partner was switched off, or the record hidden, meanwhile.
    CANCELLED = "cancelled", _("cancelled")


class WebhookDelivery(models.Model):
    """One change to send to one webhook; the row is the outbox: it waits here until sent."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    idempotency_key = models.CharField(max_length=200)
    event = models.CharField(max_length=20)
    record_type = models.CharField(max_length=40)
    record_id = models.PositiveBigIntegerField()
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "idempotency_key"], name="one_delivery_per_change"
            )
        ]

    def __str__(self):
        return f"{self.record_type} {self.record_id} {self.event} → {self.webhook}"
