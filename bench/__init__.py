"""Benchmarks, run from the repository root with `python -m bench.<name>` (see BENCHMARKS.md)."""
