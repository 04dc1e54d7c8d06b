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
