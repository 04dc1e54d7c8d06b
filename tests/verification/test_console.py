"""The console backend prints a message with its code masked, unless the development setting
(``LAUREL_MESSAGE_CONSOLE_CLEAR``, the demo's) says to print it whole."""

import pytest

from laurel.accounts.codes import code_send
from laurel.notifications.sealing import MASK
from tests.notifications.capture import log_text
from tests.verification.conftest import MOBILE


@pytest.fixture
def printed(db, settings, capsys, django_capture_on_commit_callbacks):
    settings.MESSAGE_BACKEND = "laurel.notifications.backends.ConsoleBackend"

    def send() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            code_send(
                purpose="verification",
                channel="sms",
                to=MOBILE,
                body="Your code is %(code)s, for %(minutes)d minutes.",
            )
        return capsys.readouterr().out

    return send


def test_the_console_prints_the_code_masked_by_default(printed, settings, all_log_records):
    assert settings.MESSAGE_CONSOLE_CLEAR is False
    out = printed()
    assert out == f"[sms → 178****6889] Your code is {MASK}, for 10 minutes.\n"
    assert MOBILE not in log_text(all_log_records)


def test_the_console_prints_the_code_when_the_development_setting_says_so(printed, settings):
    settings.MESSAGE_CONSOLE_CLEAR = True
    out = printed()
    assert out.startswith("[sms → 178****6889] Your code is ")
    assert MASK not in out
    code = out.split("Your code is ")[1][:6]
    assert code.isdigit()
