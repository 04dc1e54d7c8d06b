"""Settings come from LAUREL_* variables; production values pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys

import pytest


def run_laurel(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LAUREL_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "laurel", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_laurel(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        LAUREL_DEBUG="false",
        LAUREL_SECRET_KEY=secrets.token_urlsafe(50),
        LAUREL_ALLOWED_HOSTS="laurel.example.org",
        LAUREL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_laurel("check", LAUREL_DEBUG="false", LAUREL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "LAUREL_SECRET_KEY" in result.stderr


def test_a_mistyped_boolean_is_an_error_not_a_guess(tmp_path):
    result = run_laurel("check", LAUREL_DEBUG="ture", LAUREL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "LAUREL_DEBUG='ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "sqlite3 IMMEDIATE journal_mode=WAL locmem True Asia/Shanghai"),
        (
            {
                "LAUREL_DATABASE_URL": "postgres://u:p@db.internal:5432/laurel",
                "LAUREL_REDIS_URL": "redis://cache.internal:6379/1",
                "LAUREL_TIME_ZONE": "UTC",
            },
            "postgresql - - redis False UTC",
        ),
    ],
)
def test_database_cache_and_tasks_follow_the_environment(env, expected, tmp_path):
    probe = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "o = d.get('OPTIONS', {}); "
        "print(d['ENGINE'].rsplit('.', 1)[1], o.get('transaction_mode', '-'), "
        "'journal_mode=WAL' if 'journal_mode=WAL' in o.get('init_command', '') else '-', "
        "s.CACHES['default']['BACKEND'].rsplit('.', 2)[1], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.TIME_ZONE)"
    )
    result = run_laurel(
        "shell",
        "--no-imports",
        "-c",
        probe,
        LAUREL_DEBUG="true",
        LAUREL_VAR_DIR=str(tmp_path),
        **env,
    )
    assert result.stdout.strip() == expected, result.stderr
