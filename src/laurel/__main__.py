"""The ``laurel`` console command: the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the settings: their mistakes surface here
    except ImproperlyConfigured as error:
        # a setting to set, not a bug: one line saying which, no traceback
        sys.stderr.write(f"laurel: {error}\n")
        sys.exit(2)
    execute_from_command_line(["laurel", *sys.argv[1:]])  # `python -m laurel` too


if __name__ == "__main__":
    main()
