"""Settings for the test suite: the real settings with a fast hasher and test defaults."""

import os
import tempfile

os.environ.setdefault("LAUREL_DEBUG", "false")
os.environ.setdefault("LAUREL_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("LAUREL_HTTPS", "false")
os.environ.setdefault("LAUREL_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("LAUREL_MEDIA_ROOT", tempfile.mkdtemp(prefix="laurel-test-media-"))
os.environ.setdefault("LAUREL_PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="laurel-test-private-"))

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
