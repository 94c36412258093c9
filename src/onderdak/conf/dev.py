"""Development: environment defaults for a laptop, then the one real settings module.

Asked for explicitly (``DJANGO_SETTINGS_MODULE=onderdak.conf.dev``); ``onderdak demo`` and the
translation commands choose it when no settings module is set. Never use it on a server.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("ONDERDAK_HTTPS", "false")

from onderdak.conf.base import *  # noqa: F403

SETTINGS_PROFILE = "development"
