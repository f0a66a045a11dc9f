"""Outgoing requests to addresses a partner typed in (webhooks) may only reach the public
internet: never the server itself, the private network behind it, or a cloud metadata service
(server-side request forgery).

The host is checked twice: when the URL is saved (an address written in the URL, or a name
such as ``localhost``) and when a request is sent, on every address the name resolves to then,
since DNS can change between the two. The connection is made to the address that was checked,
not to the name again, so a second lookup cannot swap it for a private one.

``WEBHOOK_ALLOW_PRIVATE_DESTINATIONS`` (off by default) lifts the check: tests use it to send
to a server on 127.0.0.1.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


class DestinationRefused(OSError):
    """The destination is not on the public internet."""


def _allowed():
    return getattr(settings, "WEBHOOK_ALLOW_PRIVATE_DESTINATIONS", False)


def is_public_address(address):
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_link_local
    )


def _literal_address(host):
    """The address written as ``host`` (also the integer and short forms ``inet_aton``
    accepts, such as ``2130706433`` for 127.0.0.1), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def validate_public_url(url):
    """A validator for URLs of outgoing requests: refuses a host that is a non-public address
    or a name that is local by definition. (Names are resolved again at sending time.)"""
    if _allowed():
        return
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        host = ""
    message = _("The address must be a public internet address, not a local or private one.")
    if not host:
        raise ValidationError(message, code="non_public_destination")
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        raise ValidationError(message, code="non_public_destination")
    address = _literal_address(host)
    if address is not None and not is_public_address(str(address)):
        raise ValidationError(message, code="non_public_destination")


def connect_public(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kw):
    """``socket.create_connection`` that first resolves the name and refuses it when any of
    its addresses is not public, then connects to an address it checked."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not infos:
        raise DestinationRefused(f"{host} does not resolve")
    if not _allowed():
        for *_, sockaddr in infos:
            if not is_public_address(sockaddr[0]):
                raise DestinationRefused(f"{host} resolves to {sockaddr[0]}, not a public address")
    error = None
    for family, socktype, proto, _name, sockaddr in infos:
        sock = socket.socket(family, socktype, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            error = failure
            sock.close()
    raise error
