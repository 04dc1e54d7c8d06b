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


def settings_probe(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Prints ``expression`` of the settings, in a fresh `laurel shell`."""
    return run_laurel(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        **env,
    )


def test_with_no_key_set_commands_use_the_demo_key_file(tmp_path):
    key = secrets.token_urlsafe(50)
    key_file = tmp_path / "secret_key"
    key_file.write_text(f"{key}\n")
    key_file.chmod(0o600)

    result = run_laurel("rank", "--help", LAUREL_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "usage: laurel rank" in result.stdout
    probe = settings_probe("settings.SECRET_KEY", LAUREL_VAR_DIR=str(tmp_path))
    assert probe.stdout.strip() == key, probe.stderr
    # a key in the environment wins over the file
    probe = settings_probe(
        "settings.SECRET_KEY", LAUREL_VAR_DIR=str(tmp_path), LAUREL_SECRET_KEY="from-the-env"
    )
    assert probe.stdout.strip() == "from-the-env", probe.stderr


@pytest.mark.parametrize("command", [("rank", "--help"), ("assign", "--help"), ("migrate",)])
def test_with_no_key_anywhere_a_command_says_what_to_set_in_one_line(command, tmp_path):
    result = run_laurel(*command, LAUREL_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "LAUREL_SECRET_KEY" in line
    assert str(tmp_path / "secret_key") in line
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_key_file_other_users_may_read_is_refused(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))
    key_file.chmod(0o644)
    result = run_laurel("rank", "--help", LAUREL_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "chmod 600" in line
    assert str(key_file) in line


def test_the_public_address_is_a_host_the_site_answers_to(tmp_path):
    probe = settings_probe(
        "settings.ALLOWED_HOSTS, settings.LAUREL_PUBLIC_URL",
        LAUREL_DEBUG="true",
        LAUREL_VAR_DIR=str(tmp_path),
        LAUREL_PUBLIC_URL="http://192.168.1.20:8000/",
    )
    assert probe.stdout.strip() == (
        "['localhost', '127.0.0.1', '192.168.1.20'] http://192.168.1.20:8000"
    ), probe.stderr
