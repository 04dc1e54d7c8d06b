"""The client's address: what every rate limit, django-axes' lockout and the audit log use.

The address is ``REMOTE_ADDR``, the peer that opened the connection, unless that peer is one
of the proxies the install trusts (``LAUREL_TRUSTED_PROXIES``, ``settings.TRUSTED_PROXIES``).
Only then is ``X-Forwarded-For`` read, from the right: each trusted proxy appends the address
it saw, so the entries are walked from the last one leftwards, past trusted proxies, and the
first address that is not a trusted proxy is the client. Everything left of it may be text
the client wrote itself and is never read.

An entry that is not an address (``unknown``, an empty entry, a name) ends the walk: the
client is then the address the last trusted hop was seen from, never the entry's text.
Entries may carry a port (``203.0.113.7:4711``, ``[2001:db8::7]:4711``); IPv4 addresses
mapped into IPv6 (``::ffff:203.0.113.7``) are their IPv4 address and an IPv6 zone
(``fe80::1%eth0``) is dropped, so one client always has one spelling.
"""

import ipaddress
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


_current: ContextVar[str | None] = ContextVar("client_address", default=None)


@contextmanager
def client_address_during(address: str | None):
    """While the block runs (a request is served), ``client_address_current`` is ``address``."""
    token = _current.set(address)
    try:
        yield
    finally:
        _current.reset(token)


def client_address_current() -> str | None:
    """The address of the client whose request is being served (what the audit log records);
    None outside a request (background jobs, commands)."""
    return _current.get()


def client_address(request: HttpRequest) -> str | None:
    """The client's address of ``request`` under the install's trusted proxies (django-axes'
    ``AXES_CLIENT_IP_CALLABLE``, the audit log through axes' lockouts). None for a request
    from no peer: one built in code (Django's ``force_login`` builds one) or a server that
    passed no address."""
    try:
        return client_address_resolve(
            remote_addr=request.META.get("REMOTE_ADDR") or "",
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted_proxies=settings.TRUSTED_PROXIES,
        )
    except ValueError:
        return None


def client_address_required(request: HttpRequest) -> str:
    """``client_address`` for django-ratelimit (``RATELIMIT_IP_META_KEY``), which must count
    somewhere: a request without an address is the server's misconfiguration, as it is for
    django-ratelimit itself."""
    address = client_address(request)
    if address is None:
        raise ImproperlyConfigured(
            f"REMOTE_ADDR {request.META.get('REMOTE_ADDR')!r} is not an address: the server must"
            " pass the peer's address (serve over TCP, not a Unix socket)."
        )
    return address


def client_address_resolve(
    *, remote_addr: str, forwarded_for: str, trusted_proxies: Iterable[Network]
) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy, else the right-most
    entry of ``forwarded_for`` (the X-Forwarded-For header's value) that is not a trusted
    proxy. Always a valid address in its canonical spelling.

    Raises ``ValueError`` when ``remote_addr`` is not an address.
    """
    trusted_proxies = tuple(trusted_proxies)
    address = _canonical(ipaddress.ip_address(remote_addr))
    if not _is_trusted(address, trusted_proxies) or not forwarded_for.strip():
        return str(address)
    for entry in reversed(forwarded_for.split(",")):
        hop = _forwarded_entry_parse(entry)
        if hop is None:
            break
        address = hop
        if not _is_trusted(hop, trusted_proxies):
            break
    return str(address)


def _is_trusted(address: Address, trusted_proxies: tuple[Network, ...]) -> bool:
    return any(address in network for network in trusted_proxies)


def _forwarded_entry_parse(entry: str) -> Address | None:
    """One X-Forwarded-For entry as an address, or None if it is not one."""
    text = entry.strip()
    port = ""
    if text.startswith("["):  # [2001:db8::7] or [2001:db8::7]:4711
        text, bracket, port = text[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            return None
        port = port[1:] if port else "0"
    elif text.count(":") == 1:  # 203.0.113.7:4711 (an IPv6 address has two colons or more)
        text, _colon, port = text.partition(":")
    if port and not (port.isascii() and port.isdigit()):
        return None
    try:
        return _canonical(ipaddress.ip_address(text))
    except ValueError:
        return None


def _canonical(address: Address) -> Address:
    """An IPv4 address mapped into IPv6 as IPv4; an IPv6 address without its zone."""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.scope_id:
            return ipaddress.IPv6Address(address.packed)
    return address
