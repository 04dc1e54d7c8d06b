"""The demo's public address, from the address it is served at (pure Python, no Django).

``scripts/demo`` serves at ``LAUREL_BIND`` (default ``127.0.0.1:8000``) and, unless
``LAUREL_PUBLIC_URL`` is set, sets it from what this module prints, so that certificate QR
codes and the printed links lead where the demo is. A bind to every address (``0.0.0.0``,
``::``) is reached at this machine's first address that is not loopback, else at
127.0.0.1::

    python -m laurel.demo.address 0.0.0.0:8000    # http://192.168.1.20:8000
"""

import ipaddress
import socket
import sys
from collections.abc import Iterable

DEFAULT_BIND = "127.0.0.1:8000"  # scripts/demo's and `laurel serve`'s
DEFAULT_PORT = "8000"  # gunicorn's, for a bind without one
EVERY_ADDRESS = {"", "0.0.0.0", "::"}  # noqa: S104 - names the wildcard binds, binds nothing
LOOPBACK = "127.0.0.1"


def public_url(bind: str, machine_addresses: Iterable[str]) -> str:
    """``http://host:port`` for a gunicorn ``bind`` (``host:port``, ``[v6]:port`` or
    ``host``); a wildcard host becomes the first of ``machine_addresses`` that is not
    loopback, else 127.0.0.1."""
    if bind.startswith("["):
        host, _, rest = bind[1:].partition("]")
        port = rest.removeprefix(":") or DEFAULT_PORT
    elif bind.count(":") == 1:
        host, port = bind.split(":")
    else:  # a bare host, IPv4 or IPv6
        host, port = bind, DEFAULT_PORT
    if host in EVERY_ADDRESS:
        host = next(
            (address for address in machine_addresses if not is_loopback(address)), LOOPBACK
        )
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return True  # not an address: never offered


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses, the one its default route leaves by first (asking
    the kernel which it would use sends nothing), then those its host name resolves to."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))  # a UDP "connect" only picks a route
            found.append(probe.getsockname()[0])
        except OSError:
            pass  # no route: an isolated machine
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    found += [info[4][0] for info in infos]
    return list(dict.fromkeys(found))


if __name__ == "__main__":
    print(public_url(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_BIND, machine_addresses()))
