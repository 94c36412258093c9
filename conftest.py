"""Shared pytest fixtures for both test trees (src/onderdak/apps/*/tests and tests/).

Hypothesis runs without its per-example deadline: time targets live in the benchmarks
(``make bench``), and a loaded CI machine made a correct property test fail on time."""

from hypothesis import settings

settings.register_profile("onderdak", deadline=None)
settings.load_profile("onderdak")

pytest_plugins = ["tests.fixtures"]
