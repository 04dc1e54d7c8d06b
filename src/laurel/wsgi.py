"""WSGI entry point for granian, gunicorn or any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
application = get_wsgi_application()
