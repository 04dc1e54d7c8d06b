"""Mode modules are the only places that branch on a round's mode (docs/architecture.md,
``judging/modes/``): outside them, no code or template compares a mode to a value. Creating
a round with ``mode=Round.Mode.SCORE`` is no comparison; filtering rounds by it is one."""

import ast
import re
from pathlib import Path

import laurel

SRC = Path(laurel.__file__).parent
MODE_MODULES = ("judging/modes/", "judging/templates/judging/modes/", "/migrations/")
QUERY_CALLS = {"filter", "exclude", "get", "Q"}  # a keyword there compares
# a template's ``… mode == …``, ``mode != …``, ``mode in …`` or ``… == x.mode``
TEMPLATE_COMPARISON = re.compile(
    r"{%[^%]*?(?:\bmode\s*(?:==|!=|\bin\b|\bnot\s+in\b)|(?:==|!=)\s*[\w.]*\bmode\b)[^%]*%}"
)


def _is_mode_value(node: ast.AST) -> bool:
    """``Round.Mode.SCORE``, ``Mode.QUALIFY``: a built-in mode's code."""
    return isinstance(node, ast.Attribute) and (
        (isinstance(node.value, ast.Attribute) and node.value.attr == "Mode")
        or (isinstance(node.value, ast.Name) and node.value.id == "Mode")
    )


def _is_mode_read(node: ast.AST) -> bool:
    """``round.mode``, ``mode``: a round's mode as a value."""
    return (isinstance(node, ast.Attribute) and node.attr == "mode") or (
        isinstance(node, ast.Name) and node.id == "mode"
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def python_comparisons(text: str) -> list[int]:
    """The lines of ``text`` (Python) that compare a round's mode to a value: in ``==``,
    ``!=``, ``in`` (a built-in code or a read mode on either side), a query's keyword
    (``filter(mode=Round.Mode.SCORE)``), or a mapping keyed by built-in codes."""
    lines = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_mode_value(o) or _is_mode_read(o) for o in operands):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and _call_name(node) in QUERY_CALLS:
            for keyword in node.keywords:
                named = (keyword.arg or "").split("__")
                if "mode" in named and any(map(_is_mode_value, ast.walk(keyword.value))):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Dict) and any(_is_mode_value(k) for k in node.keys if k):
            lines.append(node.lineno)
    return sorted(set(lines))


def template_comparisons(text: str) -> list[int]:
    """The lines of ``text`` (a template) whose tags compare a mode."""
    return [text.count("\n", 0, found.start()) + 1 for found in TEMPLATE_COMPARISON.finditer(text)]


def mode_comparisons(root: Path) -> list[str]:
    """Every comparison of a round's mode in ``root``'s .py and .html files outside the mode
    modules, as ``path:line``."""
    found = []
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.html")]):
        name = path.relative_to(root).as_posix()
        if any(part in f"/{name}" for part in MODE_MODULES):
            continue
        text = path.read_text(encoding="utf-8")
        check = python_comparisons if path.suffix == ".py" else template_comparisons
        found += [f"{name}:{line}" for line in check(text)]
    return found


def test_only_mode_modules_compare_a_rounds_mode():
    assert mode_comparisons(SRC) == []


# What the check itself finds: the branches on the mode that the mode modules replaced, as
# the code had them, and what it lets pass.
OLD_PYTHON = {
    "judging/services/reviews.py": """
if round.mode == Round.Mode.SCORE and scores is not None:
    pass
elif round.mode == Round.Mode.QUALIFY and verdict is not None:
    complete = True
""",
    "judging/services/setup.py": """
if mode == Round.Mode.SCORE and not criteria:
    _refuse("A scoring round needs at least one criterion.")
""",
    "judging/services/closing.py": """
if round.mode != Round.Mode.SCORE or round.state != Round.State.CLOSED:
    _refuse("Only a closed scoring round is ranked again.")
""",
    "judging/tables.py": """
OUTCOMES = {
    Round.Mode.SCORE: (("advanced", "advances"),),
}
""",
    "awards/selectors.py": """
def final_round(contest):
    return Round.objects.filter(contest=contest, mode=Round.Mode.SCORE).first()
""",
    "awards/views/console.py": """
rounds = [r for r in rounds if r.mode in (Round.Mode.QUALIFY,)]
""",
    "judging/forms.py": """
if mode == "qualify":
    data["criteria"] = []
""",
}
OLD_TEMPLATES = {
    "judging/templates/judging/round_detail.html": (
        '<dl>\n    {% if round.mode == "score" %}\n    <dt>Ranking method</dt>\n    {% endif %}'
    ),
    "awards/templates/awards/console_result_entry.html": (
        '{% if not item.result %}—\n{% elif item.round.mode == "qualify" %}passed{% endif %}'
    ),
    "judging/templates/judging/other.html": '{% if "score" == round.mode %}x{% endif %}',
}
ALLOWED_PYTHON = """
round_ = Round(contest=contest, mode=Round.Mode.SCORE)
services.round_create(acting_user=organiser, mode=Round.Mode.QUALIFY, criteria=())
Round.objects.create(mode=Round.Mode.SCORE)
if round.round_mode.ranks:
    pass
rounds = Round.objects.filter(mode__in=modes.ranking_codes())
"""
ALLOWED_TEMPLATE = (
    '<div data-mode="{{ round.mode }}">{{ round.get_mode_display }}'
    "{% include round.round_mode.review_template %}</div>"
)


def test_the_check_finds_the_old_branches_and_lets_creation_pass(tmp_path):
    files = {
        **OLD_PYTHON,
        **OLD_TEMPLATES,
        "judging/views/fine.py": ALLOWED_PYTHON,
        "judging/templates/judging/fine.html": ALLOWED_TEMPLATE,
        # the mode modules themselves may branch as they like
        "judging/modes/score.py": "if round.mode == Round.Mode.SCORE:\n    pass\n",
        "judging/templates/judging/modes/score_x.html": '{% if round.mode == "score" %}{% endif %}',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert mode_comparisons(tmp_path) == [
        "awards/selectors.py:3",
        "awards/templates/awards/console_result_entry.html:2",
        "awards/views/console.py:2",
        "judging/forms.py:2",
        "judging/services/closing.py:2",
        "judging/services/reviews.py:2",
        "judging/services/reviews.py:4",
        "judging/services/setup.py:2",
        "judging/tables.py:2",
        "judging/templates/judging/other.html:1",
        "judging/templates/judging/round_detail.html:2",
    ]
