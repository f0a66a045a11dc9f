"""Who is calling: the client's address as the login lockout and the API throttles count it.

Behind ``NUM_PROXIES`` reverse proxies, each proxy appends the address it received the request
from to ``X-Forwarded-For``, and the last one is the socket's peer (``REMOTE_ADDR``). The
client is therefore the right-most address that no proxy of ours wrote: the ``NUM_PROXIES``-th
from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``. Whatever stands left of it the caller
wrote, so a made-up or rotating address there changes nothing. With no proxy (the default),
the header is ignored.

django-axes calls this too (``AXES_CLIENT_IP_CALLABLE``): without it, axes counted every
caller as the proxy's address, and five failures from anyone locked an account for everyone.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    if len(chain) <= proxies:
        # Fewer hops than proxies: the request did not come through them all. The nearest
        # address is the only one nobody could have written.
        return remote
    candidate = chain[-(proxies + 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
