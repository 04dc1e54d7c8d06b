"""The path converter every ``urls.py`` uses for ids and numbers: ``<id:pk>``.

Django's own ``int`` takes digits of any length, so ``/console/rounds/<30 digits>/`` reached the
view and overflowed the database's integer (OverflowError on SQLite, DataError on PostgreSQL:
a 500). ``id`` takes at most ``ID_DIGITS`` digits, so every value it yields fits a signed 64-bit
integer (SQLite's INTEGER, PostgreSQL's bigint); a longer one is no URL at all: 404.

Registered once, at the top of ``laurel/urls.py``; tests/web/test_bad_parameters.py
fails when a pattern uses ``<int:``.
"""

ID_DIGITS = 18  # 10**18 - 1 < 2**63 - 1: any such number fits a signed 64-bit integer
ID_REGEX = f"[0-9]{{1,{ID_DIGITS}}}"


class IdConverter:
    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
