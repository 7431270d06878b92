"""Shared fixtures for the cross-checking tests: vectors and traces, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.record import record_model
from crosscheck.vectors import generate_all
from crosscheck.vectors.examples import crash_path


@pytest.fixture(scope="session")
def vectors_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("vectors") / "v"
    generate_all(directory)
    return directory


def write_crash_trace(path: Path, policy: str = "gen3", checkpoint_every: int = 0) -> Path:
    """The model's own trace of the built-in crash path: conforming by construction."""
    case = crash_path(policy)
    record_model(path, case.config, case.pre, case.actions, checkpoint_every=checkpoint_every)
    return path


@pytest.fixture()
def crash_trace(tmp_path: Path) -> Path:
    return write_crash_trace(tmp_path / "crash.jsonl", checkpoint_every=10)
