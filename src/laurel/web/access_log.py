"""Log lines without personal numbers or secrets: gunicorn's access log (``laurel serve``
passes ``MaskingAccessLogger``) and every other log record (``SecretsLogFilter`` sits on the
console handler in ``settings.LOGGING``).

Query strings (searches, filters) never reach the access log: the request line keeps the
path only, the referrer loses its query too. Any ID-card or mobile number left anywhere in a
log line (a path, a header, Django's "Not Found: …") is masked by
``core.identity.personal_numbers_mask``, and the secret part of a path that carries one (an
invitation link's token, a signed media URL) is replaced by ``…``.
"""

import logging
import re

from gunicorn.glogging import Logger

from laurel.core.identity import personal_numbers_mask

# paths whose next segment is a secret: an invitation link's token, a signed media URL
SECRET_PATH = re.compile(r"(/accounts/invite/|/media/s/)(?!code/)[^/?#\s\"]+")


def log_text_mask(text: str) -> str:
    """``text`` with personal numbers masked and the secrets of secret paths removed."""
    return personal_numbers_mask(SECRET_PATH.sub(r"\1…", text))


# request-line and header atoms that carry a URL: kept without their query string
URL_ATOMS = ("f", "{referer}i", "{raw_uri}e", "{request_uri}e")


def without_query(url: str) -> str:
    return url.split("?", 1)[0]


class MaskingAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["q"] = ""
        atoms["{query_string}e"] = ""
        atoms["r"] = "{} {} {}".format(
            environ.get("REQUEST_METHOD"),
            without_query(environ.get("RAW_URI") or environ.get("PATH_INFO") or ""),
            environ.get("SERVER_PROTOCOL"),
        )
        for name in URL_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = without_query(atoms[name])
        return {
            name: log_text_mask(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


class SecretsLogFilter(logging.Filter):
    """Masks each record's formatted message (and its traceback's text) as ``log_text_mask``
    does; the record is kept, never dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = log_text_mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
