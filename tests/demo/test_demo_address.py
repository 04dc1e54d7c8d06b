"""The demo's public address (certificate QR codes, printed links) follows where it serves."""

import ipaddress
import subprocess
import sys
from pathlib import Path

import pytest

from laurel.demo.address import machine_addresses, public_url

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo"


@pytest.mark.parametrize(
    ("bind", "addresses", "expected"),
    [
        ("127.0.0.1:8000", ["192.168.1.20"], "http://127.0.0.1:8000"),
        ("10.0.0.5:9000", ["192.168.1.20"], "http://10.0.0.5:9000"),
        ("0.0.0.0:8000", ["127.0.1.1", "192.168.1.20", "10.0.0.7"], "http://192.168.1.20:8000"),
        ("0.0.0.0:8080", ["127.0.0.1", "127.0.1.1"], "http://127.0.0.1:8080"),
        ("0.0.0.0:8000", [], "http://127.0.0.1:8000"),
        ("[::]:8000", ["192.168.1.20"], "http://192.168.1.20:8000"),
        ("[::1]:8000", [], "http://[::1]:8000"),
        ("0.0.0.0", ["192.168.1.20"], "http://192.168.1.20:8000"),  # noqa: S104 - a bind named
        (":8000", ["172.16.3.4"], "http://172.16.3.4:8000"),
    ],
)
def test_the_public_url_is_where_the_demo_is_reached(bind, addresses, expected):
    assert public_url(bind, addresses) == expected


def test_this_machines_addresses_are_addresses():
    for address in machine_addresses():
        ipaddress.IPv4Address(address)


def test_the_demo_script_sets_the_public_url_from_its_bind_unless_given():
    script = SCRIPT.read_text(encoding="utf-8")
    assert 'BIND="${LAUREL_BIND:-127.0.0.1:8000}"' in script
    assert (
        'LAUREL_PUBLIC_URL="${LAUREL_PUBLIC_URL:-$("$VENV/bin/python" -m laurel.demo.address '
        '"$BIND")}"' in script
    )
    assert 'exec laurel serve --bind "$BIND"' in script
    printed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "laurel.demo.address", "127.0.0.1:8123"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout == "http://127.0.0.1:8123\n"
