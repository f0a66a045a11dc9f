"""API authentication by token, and throttles per kind of caller."""

import logging

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, throttling

from core.clients import client_address
from partners.models import ApiToken, PartnerPrincipal

log = logging.getLogger(__name__)


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <secret>`` (``Bearer`` works too)."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token."))
        token = ApiToken.authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        principal = token.user if token.user_id else PartnerPrincipal(token.partner)
        return principal, token

    def authenticate_header(self, request):
        return "Token"


class CallerRateThrottle(throttling.SimpleRateThrottle):
    """One budget per caller: anonymous callers by IP, partners by organisation, staff by user.

    Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the environment).
    """

    scope = "anon"

    def get_scope(self, request):
        user = request.user
        if isinstance(user, PartnerPrincipal):
            return "partner"
        if user and user.is_authenticated:
            return "staff"
        return "anon"

    def allow_request(self, request, view):
        self.scope = self.get_scope(request)
        self.rate = self.THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - the counters' cache (Redis) is down
            # Serving without a budget for a while beats refusing every caller with a 500.
            log.warning("throttle cache unavailable: request allowed unthrottled", exc_info=True)
            return True

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(user, PartnerPrincipal):
            ident = f"partner-{user.partner.pk}"
        elif user and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return f"throttle_{self.scope}_{ident}"


class ExportRateThrottle(CallerRateThrottle):
    """A second, tighter budget for what costs a whole table: streamed exports and export jobs
    (``export_anon``, ``export_partner``, ``export_staff`` in the throttle rates). It counts
    on top of the caller's budget for every request."""

    def get_scope(self, request):
        return f"export_{super().get_scope(request)}"


class SearchRateThrottle(CallerRateThrottle):
    """A budget of its own for free-text searches (``search_anon``, ``search_partner``,
    ``search_staff``): each word is a condition over several text columns, so a search costs
    more than a page of a list. Only requests that search count against it. The public case
    list uses it too (public/views/cases.py), and the site-wide search its own parameter
    (search/api.py, search/views.py)."""

    parameter = "search"  # the query parameter whose words are searched for

    def get_scope(self, request):
        return f"search_{super().get_scope(request)}"

    def allow_request(self, request, view):
        if not request.GET.get(self.parameter, "").strip():
            return True
        return super().allow_request(request, view)
