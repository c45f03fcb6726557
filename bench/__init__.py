"""Benchmarks: a synthetic catalog generator and ``python -m bench``."""
