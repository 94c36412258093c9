"""Shared pytest fixtures for both test trees (src/onderdak/apps/*/tests and tests/)."""

pytest_plugins = ["tests.fixtures"]
