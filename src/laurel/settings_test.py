"""Settings for the test suite: the real settings with a fast hasher and test defaults."""

import os
import tempfile
import urllib.parse

os.environ.setdefault("LAUREL_DEBUG", "false")
os.environ.setdefault("LAUREL_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("LAUREL_HTTPS", "false")
os.environ.setdefault("LAUREL_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Tests in parallel (pytest-xdist): each worker keeps to media folders and a Redis database
# of its own, as it has a test database of its own (pytest-django adds the worker's name to
# the database's). Set in the environment, so a process a test starts (a Celery worker) uses
# the same; a worker does not keep the folders it inherits from the process that started it.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", …
if os.environ.get("LAUREL_TEST_MEDIA_OF", _XDIST_WORKER) != _XDIST_WORKER:
    del os.environ["LAUREL_MEDIA_ROOT"], os.environ["LAUREL_PRIVATE_MEDIA_ROOT"]
os.environ["LAUREL_TEST_MEDIA_OF"] = _XDIST_WORKER
os.environ.setdefault("LAUREL_MEDIA_ROOT", tempfile.mkdtemp(prefix="laurel-test-media-"))
os.environ.setdefault("LAUREL_PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="laurel-test-private-"))
if _XDIST_WORKER and os.environ.get("LAUREL_REDIS_URL"):
    _redis = urllib.parse.urlsplit(
        os.environ.setdefault("LAUREL_TEST_REDIS_URL_GIVEN", os.environ["LAUREL_REDIS_URL"])
    )
    _database = int(_redis.path.strip("/") or 0) + 1 + int(_XDIST_WORKER.removeprefix("gw"))
    os.environ["LAUREL_REDIS_URL"] = _redis._replace(path=f"/{_database}").geturl()

from laurel.settings import *  # noqa: E402,F403 - the test settings are the real ones plus this
from laurel.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run inline in tests, even with Redis configured; tests/notifications/test_worker.py
# runs a real worker against Redis by switching this off for itself.
# A worker started by a test (tests/media/test_recovery.py) sets LAUREL_TEST_EAGER_TASKS=false.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("LAUREL_TEST_EAGER_TASKS", "true") == "true"
CELERY_TASK_EAGER_PROPAGATES = True
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "ERROR"}}}  # noqa: F405
