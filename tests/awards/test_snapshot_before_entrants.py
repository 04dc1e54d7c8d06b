"""A snapshot published by the code before entrants (issue 22) still verifies, digest
unchanged, after the migrations that made an entry's entrant a member, a team or a unit,
and moved the photo rules off the contest and an entry's photos into its files (content
kinds); the rules and the files come through the move unchanged.

``data/photo_2024_published_before_entrants.sql`` is a SQLite dump of a small demo world
(60 members, photo-2024 with 12 photos entered, judged and published) made by that code
(commit e6c04ed: ``laurel migrate``, ``laurel demo --members 60 --photos 12``; the audit log,
notifications and sessions emptied to keep it small). The real console script migrates it
and verifies it, as an operator would.
"""

import sqlite3
from pathlib import Path

from tests.helpers import run_laurel

DUMP = Path(__file__).parent / "data" / "photo_2024_published_before_entrants.sql"


def columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"pragma table_info({table})")}  # noqa: S608


PHOTO_RULES = (
    "allow_single, allow_series, series_min, series_max, min_long_edge, taken_from,"
    " taken_until, formats"
)


def test_a_snapshot_published_before_entrants_verifies_after_the_migration(tmp_path):
    with sqlite3.connect(tmp_path / "laurel.sqlite3") as connection:
        connection.executescript(DUMP.read_text(encoding="utf-8"))
        assert "entrant_kind" not in columns(connection, "contests_entry")  # the old schema
        (stored,) = connection.execute(
            "select p.digest from awards_publication p join contests_contest c"
            " on c.id = p.contest_id where c.slug = 'photo-2024'"
        ).fetchone()
        rules_before = connection.execute(
            f"select id, {PHOTO_RULES} from contests_contest order by id"  # noqa: S608
        ).fetchall()
        photos_before = connection.execute(
            "select entry_id, asset_id, position from contests_entryphoto order by id"
        ).fetchall()
    connection.close()

    migrated = run_laurel(tmp_path, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    verified = run_laurel(tmp_path, "contest", "verify", "photo-2024")

    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.strip() == f"ok {stored}"
    with sqlite3.connect(tmp_path / "laurel.sqlite3") as connection:
        kinds = connection.execute(
            "select entrant_kind, count(*), count(author_id), count(team_id)"
            " from contests_entry group by entrant_kind"
        ).fetchall()
        rules_after = connection.execute(
            f"select contest_id, {PHOTO_RULES} from contests_photorules"  # noqa: S608
            " order by contest_id"
        ).fetchall()
        files_after = connection.execute(
            "select entry_id, asset_id, position, kind from contests_entryfile order by id"
        ).fetchall()
        contest_columns = columns(connection, "contests_contest")
    connection.close()
    assert kinds == [("member", 26, 26, 0)]  # every entry of before is a member's
    assert len(rules_before) == 3
    assert rules_after == rules_before
    assert not contest_columns & {"min_long_edge", "formats", "taken_from"}
    assert len(photos_before) == 28  # a series has several
    assert files_after == [(*photo, "photo") for photo in photos_before]
