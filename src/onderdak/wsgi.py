"""WSGI entry point (``onderdak serve`` runs it with waitress). Production settings unless
``DJANGO_SETTINGS_MODULE`` says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onderdak.conf.base")

application = get_wsgi_application()
