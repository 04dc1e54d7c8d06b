"""The published snapshot's canonical form and digest, exactly as the module documents them,
and the differences between a snapshot's rows and the live ones (``core.snapshots``)."""

import hashlib
import json

from laurel.core import snapshots
from laurel.core.snapshots import (
    SNAPSHOT_FIELDS,
    decimal_text,
    rows_differences,
    snapshot_build,
    snapshot_canonical,
    snapshot_digest,
    snapshot_row,
)


def row(rank: int, entry: str, **fields) -> dict:
    values = {
        "title": "山城雾",
        "author": "作者0",
        "unit": "机关工会",
        "category": "自然风光",
        "score": 8.5,
        "low": 8.123456,
        "high": None,
        "prize": "一等奖",
        **fields,
    }
    return snapshot_row(rank=rank, entry=entry, **values)


def snapshot(**fields) -> dict:
    values = {
        "contest": "photo-2026",
        "title": "职工摄影展",
        "version": 1,
        "published_at": "2026-05-01T02:00:00Z",
        "rows": [row(1, "0001")],
        **fields,
    }
    return snapshot_build(**values)


EXPECTED = (
    '{"contest":"photo-2026","published_at":"2026-05-01T02:00:00Z",'
    '"rows":[{"author":"作者0","category":"自然风光","entry":"0001","high":null,'
    '"low":"8.1235","prize":"一等奖","rank":1,"score":"8.5000","title":"山城雾",'
    '"unit":"机关工会"}],"title":"职工摄影展","version":1}'
).encode()  # UTF-8


# --- the canonical form --------------------------------------------------------------------


def test_the_canonical_form_is_byte_exact():
    assert snapshot_canonical(snapshot()) == EXPECTED


def test_chinese_is_written_as_utf8_not_escaped():
    canonical = snapshot_canonical(snapshot())

    assert "山城雾".encode() in canonical
    assert "职工摄影展".encode() in canonical
    assert b"\\u" not in canonical
    assert b" " not in canonical


def test_the_canonical_form_does_not_depend_on_key_order():
    forward = snapshot()
    backward = {key: forward[key] for key in reversed(list(forward))}
    backward["rows"] = [{key: r[key] for key in reversed(list(r))} for r in forward["rows"]]

    assert list(backward) != list(forward)
    assert snapshot_canonical(backward) == snapshot_canonical(forward)


def test_a_snapshot_has_the_documented_keys():
    built = snapshot(rows=[row(1, "0001"), row(2, "0002", prize="")])

    assert set(built) == {"contest", "title", "version", "published_at", "rows"}
    for r in built["rows"]:
        assert tuple(sorted(r)) == tuple(sorted(SNAPSHOT_FIELDS))
        assert isinstance(r["rank"], int)
    assert [r["entry"] for r in built["rows"]] == ["0001", "0002"]
    assert built["rows"][1]["prize"] == ""


# --- the digest ----------------------------------------------------------------------------


def test_the_digest_is_the_sha256_of_the_canonical_form():
    assert snapshot_digest(snapshot()) == hashlib.sha256(EXPECTED).hexdigest()
    assert len(snapshot_digest(snapshot())) == 64


def test_the_documented_one_liner_reproduces_the_digest():
    # the recipe anyone can follow, taken from the module's own documentation
    recipe = snapshots.__doc__.split("::", 1)[1].strip()
    assert recipe.startswith("hashlib.sha256(")

    published = snapshot(rows=[row(1, "0001"), row(2, "0002", score=None, prize="")])
    digest = eval(recipe, {"hashlib": hashlib, "json": json, "snapshot": published})  # noqa: S307

    assert digest == snapshot_digest(published)


def test_the_digest_survives_storage_as_json():
    published = snapshot(rows=[row(1, "0001"), row(2, "0002", low=None, prize="")])
    stored = json.loads(json.dumps(published))  # as a JSONField gives it back

    assert snapshot_digest(stored) == snapshot_digest(published)


def test_any_change_changes_the_digest():
    digest = snapshot_digest(snapshot())

    assert snapshot_digest(snapshot(version=2)) != digest
    assert snapshot_digest(snapshot(rows=[row(1, "0001", prize="二等奖")])) != digest
    assert snapshot_digest(snapshot(rows=[row(1, "0001", score=8.50006)])) != digest


# --- numbers -------------------------------------------------------------------------------


def test_decimal_text_writes_four_places():
    assert decimal_text(8.5) == "8.5000"
    assert decimal_text(7) == "7.0000"
    assert decimal_text(8.123456) == "8.1235"
    assert decimal_text(8.12344) == "8.1234"
    assert decimal_text(9.99996) == "10.0000"
    assert decimal_text(0.0) == "0.0000"
    assert decimal_text(None) is None


def test_rows_write_numbers_as_text_and_the_rest_as_strings():
    r = row(3, "0007", score=7.25, low=None, high=9.0, prize="")

    assert r == {
        "rank": 3,
        "entry": "0007",
        "title": "山城雾",
        "author": "作者0",
        "unit": "机关工会",
        "category": "自然风光",
        "score": "7.2500",
        "low": None,
        "high": "9.0000",
        "prize": "",
    }


# --- rows_differences ----------------------------------------------------------------------


def test_identical_rows_have_no_differences():
    rows = [row(1, "0001"), row(2, "0002", prize="二等奖")]

    assert rows_differences(rows, [dict(r) for r in rows]) == []


def test_differences_name_the_entry_and_the_field():
    stored = [row(1, "0001"), row(2, "0002"), row(3, "0003")]
    live = [row(1, "0001", prize="二等奖"), row(3, "0003"), row(4, "0004")]

    problems = rows_differences(stored, live)

    assert len(problems) == 3
    changed = [p for p in problems if p.startswith("entry 0001: ")]
    missing = [p for p in problems if p.startswith("entry 0002: ")]
    extra = [p for p in problems if p.startswith("entry 0004: ")]
    assert len(changed) == len(missing) == len(extra) == 1
    assert changed[0].startswith("entry 0001: prize ")
    assert "'一等奖'" in changed[0]
    assert "'二等奖'" in changed[0]
    assert "no longer ranked" in missing[0]
    assert "not in the snapshot" in extra[0]


def test_every_changed_field_is_named():
    stored = [row(1, "0001"), row(2, "0002", score=7.0)]
    live = [row(2, "0001", title="雾都"), row(1, "0002", score=7.0001)]

    problems = rows_differences(stored, live)

    named = sorted(p.split(":")[0] + ":" + p.split(":")[1].split()[0] for p in problems)
    assert named == ["entry 0001:rank", "entry 0001:title", "entry 0002:rank", "entry 0002:score"]


def test_a_score_is_shown_to_two_decimals_rounded_half_up_not_through_a_float():
    assert f"{2.675:.2f}" == "2.67"  # the float nearest 2.675 is below it
    shown = [
        snapshots.score_rounded(text)
        for text in ("2.6750", "2.6749", "0.0050", "0.0049", "9.9950", "10.0000", "7.1250")
    ]
    assert shown == ["2.68", "2.67", "0.01", "0.00", "10.00", "10.00", "7.13"]
    assert snapshots.score_rounded(None) is None
    assert snapshots.score_rounded("2.6750", places=1) == "2.7"
