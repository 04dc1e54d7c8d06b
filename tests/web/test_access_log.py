"""``laurel serve``'s access log: no query strings, no personal numbers."""

import datetime
import io
import logging
from types import SimpleNamespace
from unittest import mock

from django.core.management import call_command
from gunicorn.config import Config

from laurel.web.access_log import MaskingAccessLogger, SecretsLogFilter


def logged_line(environ: dict, headers: list[tuple[str, str]]) -> str:
    config = Config()
    config.set("accesslog", "-")  # as `laurel serve` runs it
    logger = MaskingAccessLogger(config)
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.access_log.addHandler(handler)
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=headers)
    logger.access(response, request, environ, datetime.timedelta(seconds=1))
    return records[-1]


def test_the_access_log_keeps_paths_and_drops_queries_and_numbers():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/console/members/?q=17812346889&unit=3",
        "PATH_INFO": "/console/members/",
        "QUERY_STRING": "q=17812346889&unit=3",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": "https://laurel.example/console/people/?q=50010119900101123X",
        "HTTP_USER_AGENT": "phone 13900000001",
    }
    headers = [("REFERER", environ["HTTP_REFERER"]), ("USER-AGENT", "phone 13900000001")]
    line = logged_line(environ, headers)
    assert '"GET /console/members/ HTTP/1.1" 200' in line
    assert "https://laurel.example/console/people/" in line
    for secret in ("17812346889", "q=", "50010119900101123X", "13900000001"):
        assert secret not in line
    assert "139****0001" in line  # a number in any other field is masked


def test_serve_runs_gunicorn_with_the_masking_logger():
    with mock.patch("os.execv") as execv:
        call_command("serve", "--bind", "127.0.0.1:0")
    argv = execv.call_args.args[1]
    assert argv[argv.index("--logger-class") + 1] == "laurel.web.access_log.MaskingAccessLogger"
    assert argv[argv.index("--access-logfile") + 1] == "-"


def test_an_invitation_token_in_a_path_never_reaches_the_access_log():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/accounts/invite/s3cr3t-T0ken_value/",
        "PATH_INFO": "/accounts/invite/s3cr3t-T0ken_value/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
    }
    line = logged_line(environ, [])
    assert "s3cr3t-T0ken_value" not in line
    assert '"GET /accounts/invite/…/ HTTP/1.1"' in line


def test_djangos_own_log_lines_lose_tokens_and_numbers(client, db):
    """A spent invitation link is a 404 that Django logs ("Not Found: <path>"): the console
    handler's filter masks what it writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretsLogFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/accounts/invite/s3cr3t-T0ken_value/?m=13812345678")
        client.get("/no-such-page/13812345678/")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Not Found" in written
    assert "s3cr3t-T0ken_value" not in written
    assert "13812345678" not in written
    assert "138****5678" in written


def test_the_console_handler_carries_the_secrets_filter(settings):
    assert "secrets" in settings.LOGGING["handlers"]["console"]["filters"]
