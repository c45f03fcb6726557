"""End-to-end tests: the real bot against the local Discord stand-in (tests/standin)."""

from tests.standin.fixtures import standin  # noqa: F401  (the stand-in fixture)
