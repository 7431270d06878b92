"""``zle replay --jobs N``: segments split at checkpoints give the report one replay gives,
and the earliest finding wins whichever segment found it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crosscheck import parallel
from crosscheck.synthetic import write_synthetic_trace
from zle.main import cli


@pytest.fixture
def long_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(parallel, "MIN_SEGMENT_BYTES", 0)
    path = tmp_path / "long.jsonl"
    write_synthetic_trace(path, positions=200, steps=3_000, checkpoint_every=500)
    return path


def replay(path: Path, *args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(cli, ["replay", str(path), "--json", *args])
    return result.exit_code, json.loads(result.output)


def without_time(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "seconds"}


def edit_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines))


@pytest.mark.covers("TRACE-REPLAY")
@pytest.mark.parametrize("jobs", ["2", "3"])
def test_segments_agree_with_one_replay(long_trace: Path, jobs: str) -> None:
    assert parallel.plan(long_trace, int(jobs)) is not None
    one = replay(long_trace, "--check-every", "100")
    split = replay(long_trace, "--check-every", "100", "--jobs", jobs)
    assert one[0] == split[0] == 0
    assert without_time(one[1]) == without_time(split[1])


@pytest.mark.covers("TRACE-REPLAY")
def test_a_divergence_in_a_later_segment_is_pinned_to_its_step_and_line(long_trace: Path) -> None:
    lines = long_trace.read_text().splitlines()
    number = next(i + 1 for i, line in enumerate(lines) if i > 2_500 and '"TimeAdvanced"' in line)
    edit_line(long_trace, number, '"TimeAdvanced":{"time":"', '"TimeAdvanced":{"time":"9')
    one = replay(long_trace)
    split = replay(long_trace, "--jobs", "2")
    assert one[0] == split[0] == 1
    assert split[1]["divergence"]["line"] == number
    assert without_time(one[1]) == without_time(split[1])


@pytest.mark.covers("TRACE-REPLAY")
def test_the_earliest_finding_wins(long_trace: Path) -> None:
    lines = long_trace.read_text().splitlines()
    early = next(i + 1 for i, line in enumerate(lines) if i > 50 and '"TimeAdvanced"' in line)
    late = len(lines) - 5
    edit_line(long_trace, early, '"TimeAdvanced":{"time":"', '"TimeAdvanced":{"time":"9')
    text = long_trace.read_text().splitlines(keepends=True)
    text[late - 1] = "{not json\n"
    long_trace.write_text("".join(text))
    code, report = replay(long_trace, "--jobs", "2")
    assert code == 1 and report["divergence"]["line"] == early
    # and a malformed line in a later segment is reported when the earlier ones conform
    edit_line(long_trace, early, '"TimeAdvanced":{"time":"9', '"TimeAdvanced":{"time":"')
    result = CliRunner().invoke(cli, ["replay", str(long_trace), "--jobs", "2"])
    assert result.exit_code == 2 and f":{late}:" in result.output


@pytest.mark.covers("TRACE-REPLAY")
def test_a_trace_without_checkpoints_runs_in_one_piece(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    write_synthetic_trace(path, positions=50, steps=200)
    assert parallel.plan(path, 2) is None
    assert replay(path, "--jobs", "2")[0] == 0
