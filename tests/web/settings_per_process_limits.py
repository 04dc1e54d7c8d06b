"""The test settings as they were before issue 18: rate limits counted in each process's own
memory. tests/web/test_limits.py serves with these first, to show the race they lose."""

from laurel.settings_test import *  # noqa: F403 - the test settings, one cache changed
from laurel.settings_test import CACHES

CACHES = {**CACHES, "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
