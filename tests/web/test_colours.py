"""Colours for states and prize tiers (app.css): every state a page shows as a pill has a
colour, every prize tier place a distinct one, and the text on each is readable — WCAG AA,
at least 4.5:1, computed from the stylesheet's own hex values."""

import re
from pathlib import Path

import pytest

from laurel.contests import prize_tiers
from laurel.contests.models import Contest, Entry, Flag, PrizeTier
from laurel.judging.models import Round
from tests.contests.conftest import contest_factory  # noqa: F401 - a fixture

CSS = Path(__file__).parents[2] / "src/laurel/web/static/laurel/app.css"
AA = 4.5


def rules() -> list[tuple[list[str], dict[str, str]]]:
    """Every rule of app.css as (its selectors, its declarations); at-rules' inner rules too."""
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    found = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for part in body.split(";"):
            if ":" in part:
                name, value = part.split(":", 1)
                declarations[name.strip()] = value.strip()
        found.append(([s.strip() for s in selectors.split(",")], declarations))
    return found


def variables() -> dict[str, str]:
    """The custom properties of :root."""
    return next(body for selectors, body in rules() if selectors == [":root"])


def colour(value: str) -> str:
    """A declaration's colour as #rrggbb: a hex value or a :root variable."""
    found = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if found:
        value = variables()[found.group(1)]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value), value
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower()


def luminance(hex_colour: str) -> float:
    def channel(byte: str) -> float:
        c = int(byte, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(hex_colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def pill_colours() -> dict[str, tuple[str, str]]:
    """Each ``.pill-*`` / ``.flag-pill-*`` class → (background, text), the last rule winning."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in rules():
        for selector in selectors:
            if re.fullmatch(r"\.(flag-)?pill-[\w-]+", selector):
                found.setdefault(selector[1:], {}).update(body)
    return {
        name: (colour(body["background"]), colour(body["color"]))
        for name, body in found.items()
        if "background" in body
    }


def tier_colours() -> dict[str, tuple[str, str]]:
    """Each ``.tier-N`` class → (--tier, --tier-ink)."""
    found = {}
    for selectors, body in rules():
        for selector in selectors:
            if re.fullmatch(r"\.tier-\d+", selector) and "--tier" in body:
                found[selector[1:]] = (colour(body["--tier"]), colour(body["--tier-ink"]))
    return found


def test_the_contrast_is_computed_as_wcag_does():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


STATES = [
    *(f"pill-{value}" for value in Entry.State.values),
    *(f"pill-{value}" for value in Contest.State.values),
    *(f"pill-{value}" for value in Round.State.values),
    *(f"flag-pill-{value}" for value in Flag.State.values),
]


@pytest.mark.parametrize("name", STATES)
def test_every_state_shown_as_a_pill_has_a_colour_with_readable_text(name):
    colours = pill_colours()
    assert name in colours, f".{name} has no background in app.css"
    background, text = colours[name]
    assert contrast(background, text) >= AA, (name, background, text)


def test_every_pill_rule_has_readable_text():
    for name, (background, text) in pill_colours().items():
        assert contrast(background, text) >= AA, (name, background, text)


def test_entry_states_of_different_meaning_have_different_colours():
    colours = pill_colours()
    awarded, refused, withdrawn, received = (
        colours[f"pill-{state}"][0] for state in ("awarded", "refused", "withdrawn", "received")
    )
    accepted = colours["pill-accepted"][0]
    assert len({awarded, refused, withdrawn, received, accepted}) == 5


def test_every_tier_place_has_its_own_colour_with_readable_text():
    colours = tier_colours()
    names = [f"tier-{place}" for place in range(1, prize_tiers.TIER_COLOURS + 1)]
    assert sorted(colours) == names
    assert len({background for background, _ink in colours.values()}) == len(names)
    for name, (background, ink) in colours.items():
        assert contrast(background, ink) >= AA, (name, background, ink)
    # gold, silver, bronze: the first is the lightest warm colour, the second grey
    gold, silver, bronze = (colours[f"tier-{n}"][0] for n in (1, 2, 3))
    assert int(gold[1:3], 16) > int(gold[5:7], 16) + 100  # much more red than blue: golden
    assert max(abs(int(silver[i : i + 2], 16) - int(silver[1:3], 16)) for i in (3, 5)) < 20
    assert int(bronze[1:3], 16) > int(bronze[3:5], 16) > int(bronze[5:7], 16)


def test_a_tier_class_is_given_by_place():
    assert [prize_tiers.tier_class(place) for place in (1, 2, 3, 6, 7, 12)] == [
        "tier-1",
        "tier-2",
        "tier-3",
        "tier-6",
        "tier-6",
        "tier-6",
    ]
    assert prize_tiers.tier_class(None) == ""
    assert prize_tiers.tier_class(0) == ""
    assert prize_tiers.places_of(["一等奖", "二等奖", "一等奖", "优秀奖"]) == {
        "一等奖": 1,
        "二等奖": 2,
        "优秀奖": 3,
    }


@pytest.mark.django_db
def test_a_units_tier_comes_after_the_entries_tiers_whatever_its_order(contest_factory):  # noqa: F811
    """An entry's first prize stays gold though the units' prize (优秀组织奖) is listed first."""
    contest = contest_factory()
    PrizeTier.objects.filter(contest=contest).delete()
    for position, (name, for_units) in enumerate(
        [("优秀组织奖", True), ("一等奖", False), ("二等奖", False)]
    ):
        PrizeTier.objects.create(
            contest=contest, name=name, count=1, position=position, for_units=for_units
        )
    assert prize_tiers.tier_places(contest.pk) == {"一等奖": 1, "二等奖": 2, "优秀组织奖": 3}
