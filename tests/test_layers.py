"""The layering rules of docs/architecture.md, enforced."""

import ast
from pathlib import Path

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


def test_every_app_has_the_same_file_names():
    apps = ["accounts", "audit", "notifications", "orgs"]
    for app in apps:
        for name in ("models.py", "services.py", "policy.py", "urls.py", "views"):
            assert (SRC / app / name).exists(), f"{app}/{name} is missing"


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
