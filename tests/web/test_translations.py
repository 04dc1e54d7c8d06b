"""Every UI string reaches the translators, and the catalogue leaves none in English.

``makemessages`` finds strings by the names of Django's translation functions (and ``_``);
a string marked through any other alias (``gettext_lazy as _lazy``) never reaches the
catalogue and shows in English on a Chinese page.
"""

import ast
import shutil
import subprocess
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "laurel"
CATALOGUE = SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# the keywords xgettext is given by makemessages, and its own default ``_``
EXTRACTED = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def aliases_not_extracted(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    if alias.name in EXTRACTED and (alias.asname or alias.name) not in EXTRACTED:
                        found.append(f"{path.relative_to(root)}: {alias.name} as {alias.asname}")
    return found


def test_every_translation_function_is_imported_under_a_name_makemessages_finds():
    assert aliases_not_extracted(SRC) == []


def test_the_check_finds_an_alias_makemessages_would_miss(tmp_path):
    (tmp_path / "module.py").write_text(
        "from django.utils.translation import gettext_lazy as _lazy\n"
        "from django.utils.translation import gettext as _\n",
        encoding="utf-8",
    )
    assert aliases_not_extracted(tmp_path) == ["module.py: gettext_lazy as _lazy"]


def test_the_chinese_catalogue_has_no_fuzzy_or_untranslated_message():
    msgfmt = shutil.which("msgfmt")  # gettext: a package scripts/test installs
    assert msgfmt is not None
    statistics = subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "fuzzy" not in statistics
    assert "untranslated" not in statistics
    assert "translated message" in statistics
