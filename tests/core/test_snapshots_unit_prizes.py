"""The snapshot's canonical form with and without the units' own prizes (``core.snapshots``):
a snapshot without any keeps the exact bytes of the form before unit prizes existed."""

import hashlib
import json

from laurel.core.snapshots import (
    snapshot_build,
    snapshot_canonical,
    snapshot_digest,
    snapshot_row,
    unit_prize_row,
    unit_prizes_differences,
)

ROW = snapshot_row(
    rank=1,
    entry="0001",
    title="晨光",
    author="王伟",
    unit="机关工会",
    category="自然风光",
    score=8.5,
    low=8.0,
    high=9.0,
    prize="一等奖",
)
HEAD = {
    "contest": "photo-2024",
    "title": "职工摄影展",
    "version": 1,
    "published_at": "2024-04-30T02:00:00Z",
}


def test_a_snapshot_without_unit_prizes_has_the_form_it_always_had():
    snapshot = snapshot_build(**HEAD, rows=[ROW], unit_prizes=[])
    assert "unit_prizes" not in snapshot
    legacy = (
        '{"contest":"photo-2024","published_at":"2024-04-30T02:00:00Z","rows":[{"author":"王伟",'
        '"category":"自然风光","entry":"0001","high":"9.0000","low":"8.0000","prize":"一等奖",'
        '"rank":1,"score":"8.5000","title":"晨光","unit":"机关工会"}],"title":"职工摄影展",'
        '"version":1}'
    ).encode()
    assert snapshot_canonical(snapshot) == legacy
    assert snapshot_digest(snapshot) == hashlib.sha256(legacy).hexdigest()


def test_unit_prizes_are_one_more_top_level_key_in_the_digest():
    prizes = [unit_prize_row(unit="永川区总工会", prize="优秀组织奖")]
    snapshot = snapshot_build(**HEAD, rows=[ROW], unit_prizes=prizes)
    assert snapshot["unit_prizes"] == [{"unit": "永川区总工会", "prize": "优秀组织奖"}]
    canonical = snapshot_canonical(snapshot)
    assert '"unit_prizes":[{"prize":"优秀组织奖","unit":"永川区总工会"}]'.encode() in canonical
    assert json.loads(canonical) == snapshot
    assert snapshot_digest(snapshot) != snapshot_digest(snapshot_build(**HEAD, rows=[ROW]))


def test_unit_prize_differences_name_each_side():
    stored = [unit_prize_row(unit="永川区总工会", prize="优秀组织奖")]
    live = [unit_prize_row(unit="奉节县总工会", prize="优秀组织奖")]
    assert unit_prizes_differences(stored, stored) == []
    assert unit_prizes_differences(stored, live) == [
        "unit 奉节县总工会: 优秀组织奖 given now, not in the snapshot",
        "unit 永川区总工会: 优秀组织奖 in the snapshot, not given now",
    ]
