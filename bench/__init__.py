"""Benchmarks on synthetic data: `make bench` (see run.py)."""
