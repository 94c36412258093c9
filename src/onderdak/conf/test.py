"""Tests: fast backends. The database is DATABASE_URL (SQLite by default, PostgreSQL in CI)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("ONDERDAK_HTTPS", "false")

from onderdak.conf.base import *  # noqa: F403

SETTINGS_PROFILE = "test"

CHART_VALIDATION = True  # a chart builder that makes an invalid Vega-Lite specification fails

STATIC_ROOT = None  # type: ignore[assignment]  # static files come from the finders in tests
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
