"""The gate's browser libraries — the camera's QR reader, the signature check offline — come
from npm at set-up, pinned, and are served from our own static files; the gate page alone may
compile WebAssembly."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from laurel.events.scanner import ED25519_LIBRARY, SCANNER_LIBRARY, SCANNER_WASM, scanner_page

REPO = Path(__file__).resolve().parents[2]
LIBRARIES = ("zxing-wasm", "@noble/ed25519", "sortablejs")


def page(request):
    return HttpResponse("<p>gate</p>")


urlpatterns = [
    path("plain/", page),
    path("scanner/", scanner_page(page)),
]


def script_src(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        if name == "script-src":
            return values
    raise AssertionError("no script-src")


def static_get(url: str) -> tuple[int, str, bytes]:
    response = Client().get(url)
    body = b"".join(response.streaming_content)
    response.close()
    return response.status_code, response["Content-Type"], body


def test_the_reader_script_is_served_from_our_static_files(db):
    status, content_type, body = static_get(f"/static/{SCANNER_LIBRARY}")
    assert status == 200
    assert content_type.startswith("text/javascript")
    assert b"ZXingWASM" in body  # the global scanner.js uses


def test_the_reader_webassembly_is_served_from_our_static_files(db):
    status, content_type, body = static_get(f"/static/{SCANNER_WASM}")
    assert status == 200
    assert content_type == "application/wasm"
    assert body[:4] == b"\0asm"


def test_the_signature_library_is_served_from_our_static_files(db):
    status, content_type, body = static_get(f"/static/{ED25519_LIBRARY}")
    assert status == 200
    assert content_type.startswith("text/javascript")
    assert b"verifyAsync," in body  # the export gate_offline.js imports


def test_the_scanner_script_is_served(db):
    status, content_type, body = static_get("/static/events/scanner.js")
    assert status == 200
    assert content_type.startswith("text/javascript")
    # the WebAssembly is located from the page's static URL, never the library's CDN default
    assert b"locateFile" in body
    assert b"dataset.scannerWasm" in body
    assert not re.search(rb"https?://", body)


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_library_is_pinned_to_the_version_installed(library):
    declared = json.loads((REPO / "package.json").read_text())["dependencies"][library]
    locked = json.loads((REPO / "package-lock.json").read_text())
    installed = json.loads((REPO / "node_modules" / library / "package.json").read_text())
    assert re.fullmatch(r"\d+\.\d+\.\d+", declared)  # exact: no range
    assert locked["packages"][""]["dependencies"][library] == declared
    assert locked["packages"][f"node_modules/{library}"]["version"] == declared
    assert locked["packages"][f"node_modules/{library}"]["integrity"].startswith("sha512-")
    assert installed["version"] == declared


def test_every_set_up_installs_the_library_before_using_it():
    library = (REPO / "scripts" / "setup-lib.sh").read_text()
    assert re.search(r"install_node_packages\(\) \{[^}]*npm ci", library, re.DOTALL)
    for script in ("test", "test-services", "demo"):
        text = (REPO / "scripts" / script).read_text()
        installs = text.find("\ninstall_node_packages\n")
        assert installs != -1, script
        used = text.find("pytest") if script != "demo" else text.find("collectstatic")
        assert installs < used, script
    assert "/node_modules/" in (REPO / ".gitignore").read_text().splitlines()


@pytest.mark.urls(__name__)
def test_only_the_scanner_page_may_compile_webassembly(db):
    assert script_src(Client().get("/scanner/")) == ["'self'", "'wasm-unsafe-eval'"]
    assert script_src(Client().get("/plain/")) == ["'self'"]


def test_collectstatic_gathers_the_library(tmp_path):
    manifest_storage = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES={"staticfiles": manifest_storage, "default": {}}
    ):
        call_command("collectstatic", "--noinput", "-v0")
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        SCANNER_LIBRARY,
        SCANNER_WASM,
        ED25519_LIBRARY,
        "events/scanner.js",
        "events/gate_offline.js",
    ):
        assert (tmp_path / paths[name]).is_file(), name


def test_the_offline_script_loads_nothing_from_elsewhere_and_writes_no_html(db):
    status, content_type, body = static_get("/static/events/gate_offline.js")
    assert status == 200
    assert content_type.startswith("text/javascript")
    assert b"dataset.ed25519" in body  # the library's URL from the page, never a CDN
    assert not re.search(rb"https?://", body)
    assert b"innerHTML" not in body  # what it shows is set as text
