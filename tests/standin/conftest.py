"""The stand-in fixture for the stand-in's own tests."""

from tests.standin.fixtures import standin  # noqa: F401
