"""A course's completion (``core.completion``): the classes a share needs, rounded up in whole
numbers; completed exactly at the share and not one class below it; a member's standing while
classes are still to come."""

import pytest

from laurel.core.completion import Standing, classes_needed, has_completed, progress


@pytest.mark.parametrize(
    ("classes", "percent", "needed"),
    [
        (10, 80, 8),
        (9, 75, 7),  # 6.75 rounds up
        (12, 80, 10),  # 9.6 rounds up
        (3, 100, 3),
        (3, 1, 1),  # any share of a class is a whole class
        (7, 50, 4),  # 3.5 rounds up
        (0, 80, 0),
    ],
)
def test_the_classes_needed_are_the_share_rounded_up(classes, percent, needed):
    assert classes_needed(classes, percent) == needed


@pytest.mark.parametrize(("classes", "percent"), [(10, 0), (10, 101), (-1, 80)])
def test_a_share_outside_1_to_100_or_classes_below_zero_are_refused(classes, percent):
    with pytest.raises(ValueError, match="out of 1–100|below zero"):
        classes_needed(classes, percent)


@pytest.mark.parametrize(
    ("attended", "classes", "percent", "completed"),
    [
        (8, 10, 80, True),  # exactly at the share
        (7, 10, 80, False),  # one class below it
        (7, 9, 75, True),  # 7 of 9 is 77.8 %: at the 6.75 rounded up
        (6, 9, 75, False),  # 66.7 %
        (10, 10, 100, True),
        (9, 10, 100, False),
        (0, 0, 80, False),  # a course without classes is never completed
    ],
)
def test_completed_exactly_at_the_share_and_not_just_below_it(
    attended, classes, percent, completed
):
    assert has_completed(attended, classes, percent) is completed


@pytest.mark.parametrize(
    ("attended", "classes", "to_come", "standing"),
    [
        (8, 10, 0, Standing.COMPLETED),
        (8, 10, 2, Standing.COMPLETED),  # enough already, classes still to come
        (7, 10, 0, Standing.OUT_OF_REACH),
        (5, 10, 3, Standing.ON_TRACK),  # must attend all three to come
        (4, 10, 3, Standing.OUT_OF_REACH),  # even all three would make seven
        (0, 10, 10, Standing.ON_TRACK),  # nothing held yet
        (0, 0, 0, Standing.ON_TRACK),  # no classes yet: nothing missed
    ],
)
def test_a_members_standing_says_whether_the_classes_to_come_can_still_make_the_share(
    attended, classes, to_come, standing
):
    made = progress(attended, classes, to_come, 80)
    assert made.standing == standing
    assert made.needed == classes_needed(classes, 80)


def test_the_share_attended_is_of_the_classes_held_so_far_rounded_down():
    assert progress(3, 10, 6, 80).percent_attended == 75  # 3 of the 4 held
    assert progress(2, 10, 7, 80).percent_attended == 66  # 66.7 rounded down
    assert progress(0, 10, 10, 80).percent_attended == 0  # none held yet


@pytest.mark.parametrize(
    ("attended", "classes", "to_come"),
    [(5, 10, 6), (0, 10, 11), (0, 10, -1), (11, 10, 0)],
)
def test_progress_refuses_more_attended_than_held_or_to_come_outside_the_classes(
    attended, classes, to_come
):
    with pytest.raises(ValueError, match="attended"):
        progress(attended, classes, to_come, 80)
