"""WSGI entry point for production servers (``goodwill serve`` uses waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
application = get_wsgi_application()
