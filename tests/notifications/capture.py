"""What left through the message backend, and every log record, for tests about secrets."""

import logging
from typing import ClassVar

import pytest
from django.db import models

from laurel.notifications.backends import MessageToSend


class RecordingBackend:
    """A message backend that keeps what it was given (the full text) in memory."""

    sent: ClassVar[list[MessageToSend]] = []

    def send(self, message: MessageToSend) -> None:
        self.sent.append(message)


@pytest.fixture
def delivered(settings):
    """The messages the backend delivered during the test, in order."""
    settings.MESSAGE_BACKEND = "tests.notifications.capture.RecordingBackend"
    RecordingBackend.sent.clear()
    yield RecordingBackend.sent
    RecordingBackend.sent.clear()


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def all_log_records():
    """Every record any logger emits at DEBUG or above, including loggers that don't propagate.

    Each is kept formatted (message and traceback) so a test can search the text.
    """
    collector = _Collector()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    collecting = [root] + [logger for logger in loggers if not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in collecting:
        logger.addHandler(collector)
    yield collector.records
    for logger in collecting:
        logger.removeHandler(collector)
    for logger, level in levels.items():
        logger.setLevel(level)


def log_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in records)


def stored_text(rows) -> str:
    """Every column but times of every row in ``rows`` (a queryset or a list), as one string."""
    rows = list(rows)
    return "\n".join(
        str(field.value_from_object(row))
        for row in rows
        for field in row._meta.concrete_fields
        if not isinstance(field, models.DateTimeField)
    )
