"""Benchmarks: figures reported, never asserted (timed tests flake; numbers belong in notes)."""
