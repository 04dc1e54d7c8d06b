"""The layering rules of docs/architecture.md, enforced."""

import ast
from pathlib import Path

from django.conf import settings

import laurel

SRC = Path(laurel.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "laurel":  # from laurel import contests
                names.update(f"laurel.{alias.name}" for alias in node.names)
    return names


def test_core_never_imports_django_or_the_apps():
    offenders = {}
    for path in (SRC / "core").rglob("*.py"):
        bad = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] in {"django", "celery"}
            or (name.startswith("laurel.") and not name.startswith("laurel.core"))
        }
        if bad:
            offenders[str(path.relative_to(SRC))] = sorted(bad)
    assert offenders == {}


def test_views_never_decide_roles_themselves():
    """Views ask policies; they never inspect a user's roles themselves."""
    offenders = []
    for path in SRC.rglob("views/*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in (
            "is_federation_admin",
            "is_unit_admin",
            "admin_paths",
            "personal_data_everywhere",
        ):
            if forbidden in text:
                offenders.append(f"{path.relative_to(SRC)}: {forbidden}")
    assert offenders == []


# The apps, lowest first: an app imports only the apps before it (docs/architecture.md).
# ``web`` is the shell under every domain; ``laurel.importing`` belongs to it.
APP_ORDER = [
    "core",
    "web",
    "audit",
    "notifications",
    "orgs",
    "accounts",
    "members",
    "verification",
    "media",
    "contests",
    "judging",
    "awards",
    "events",
    "demo",
]
SHELL_MODULES = {"importing": "web", "periodic": "web"}  # top-level modules, and their layer
DOMAIN_APPS = APP_ORDER[APP_ORDER.index("web") + 1 : APP_ORDER.index("demo")]
AUDIENCES = ("console", "member", "judge", "public")


def layer_violations(root: Path, order: list[str]) -> list[str]:
    """Every import, anywhere in an app's modules (functions included), of a ``laurel`` app
    or top-level module that sits above the importing app in ``order``."""
    rank = {app: index for index, app in enumerate(order)}
    rank.update({module: rank[layer] for module, layer in SHELL_MODULES.items()})
    found = []
    for app in order:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for name in imported_modules(path):
                parts = name.split(".")
                if parts[0] != "laurel" or len(parts) < 2 or parts[1] == app:
                    continue
                if rank.get(parts[1], len(order)) > rank[app]:
                    found.append(f"{path.relative_to(root)} imports {name}")
    return found


def test_no_app_imports_an_app_above_it():
    assert layer_violations(SRC, APP_ORDER) == []


def test_every_app_has_its_place_in_the_order():
    packages = {
        path.parent.name
        for path in SRC.glob("*/__init__.py")
        if path.parent.name not in {"locale", "templates", "static"}
    }
    assert packages == set(APP_ORDER)


def test_the_settings_install_the_apps_in_their_order():
    installed = [
        name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("laurel.")
    ]
    assert installed == APP_ORDER[1:]  # core is no app


def test_the_layer_check_finds_an_import_upwards_and_a_domain_in_the_shell(tmp_path):
    """The check itself: an import from a lower app to a higher one, inside a function too,
    and a domain app imported by the shell, are each reported; downward imports are not."""
    sources = {
        "orgs/services.py": "from laurel.audit.services import audit_log\n",
        "orgs/selectors.py": "def f():\n    from laurel.contests.models import Contest\n",
        "web/home.py": "import laurel.accounts.models\nfrom laurel.core import tables\n",
        "awards/views.py": "from laurel.contests import services\nfrom laurel import importing\n",
        "media/tasks.py": "from laurel import contests\n",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert layer_violations(tmp_path, APP_ORDER) == [
        "web/home.py imports laurel.accounts.models",
        "orgs/selectors.py imports laurel.contests.models",
        "media/tasks.py imports laurel.contests",
    ]


def test_every_domain_app_has_the_same_file_names():
    """A newcomer finds the same rooms in every domain app: its models, its writes
    (``services``, a module or a package by subject), its rules, its URLs, and views split
    by audience (``console.py``, ``console_<subject>.py``, ``member.py``, ``judge.py``,
    ``public.py``); a module named like one of those rooms is that room, spelled the same."""
    near_misses = {"service", "selector", "view", "form", "table", "task", "model", "signal"}
    for app in DOMAIN_APPS:
        folder = SRC / app
        for name in ("apps.py", "models.py", "policy.py", "urls.py", "views/__init__.py"):
            assert (folder / name).exists(), f"{app}/{name} is missing"
        assert (folder / "services.py").exists() != (folder / "services").is_dir(), (
            f"{app} has its services as one module or as a package, not both or neither"
        )
        for view in (folder / "views").glob("*.py"):
            if view.stem != "__init__":
                assert view.stem.split("_")[0] in AUDIENCES, f"{app}/views/{view.name}"
        modules = {path.stem for path in folder.glob("*.py")}
        assert not modules & near_misses, f"{app}: {sorted(modules & near_misses)}"


WRITER = SRC / "core" / "sheet_writer.py"
OTHER_WRITERS = {"xlsxwriter", "xlwt", "pandas"}  # libraries that write sheets around it


def sheet_writing(path: Path) -> list[str]:
    """What in ``path`` writes a workbook or CSV itself rather than through the writer:
    importing or making openpyxl's ``Workbook``, ``csv.writer``/``DictWriter``, another
    sheet-writing library, ``.to_csv``/``.to_excel``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (node.module.startswith("openpyxl") and alias.name == "Workbook") or (
                    node.module == "csv" and alias.name in {"writer", "DictWriter"}
                ):
                    found.append(f"from {node.module} import {alias.name}")
            if node.module.split(".")[0] in OTHER_WRITERS:
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [
                f"import {a.name}" for a in node.names if a.name.split(".")[0] in OTHER_WRITERS
            ]
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if (node.attr == "Workbook" and owner.startswith("openpyxl")) or (
                owner == "csv" and node.attr in {"writer", "DictWriter"}
            ):
                found.append(f"{owner}.{node.attr}")
            elif node.attr in {"to_csv", "to_excel"}:
                found.append(f".{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"Workbook", "DictWriter"}
        ):
            found.append(f"{node.func.id}(")
    return found


def test_every_spreadsheet_and_csv_is_written_through_the_one_writer():
    """core.sheet_writer neutralises formula-like text (issue 17); nothing else writes sheets."""
    offenders = {
        str(path.relative_to(SRC)): found
        for path in SRC.rglob("*.py")
        if path != WRITER and (found := sheet_writing(path))
    }
    assert offenders == {}
    assert {"from openpyxl import Workbook", "Workbook(", "csv.writer"} <= set(
        sheet_writing(WRITER)
    )  # the scan sees what it looks for
