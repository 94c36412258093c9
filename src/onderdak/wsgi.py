"""WSGI entry point (``onderdak serve`` runs it with gunicorn; any WSGI server can)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onderdak.conf.dev")

application = get_wsgi_application()
