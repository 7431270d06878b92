"""Replaying a long trace on several cores: one segment per core, split at checkpoints.

A trace is a chain: step ``k`` starts from the state step ``k - 1`` left. A checkpoint
breaks the chain: it carries the whole state. So the segment after a checkpoint can be
replayed from that state while the segment before it is still running, and the
answer is the same as one replay's, provided the earlier segment confirms the
checkpoint (it compares the checkpoint with its own state, as a single replay does):

- segments are judged in order; the first that diverges, is malformed or makes the
  model fail decides, with the step numbers and lines of the whole trace;
- a later segment's findings count only when every earlier segment conformed, so a
  later segment that started from a checkpoint the model disagrees with says nothing.

Segments start at the first checkpoint at or after each ``1/jobs`` of the file; a
trace without checkpoints there is replayed in one piece.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from crosscheck import schema, wire
from crosscheck.replay import DEFAULT_CHECK_EVERY, ModelFailure, Replayer, ReplayReport, run
from crosscheck.trace import (
    Header,
    MalformedTrace,
    TraceReader,
    Validation,
    _parse,
    check_state_structure,
    decode_header,
)

CHECKPOINT_PREFIX = b'{"checkpoint":'
MIN_SEGMENT_BYTES = 4 * 2**20
"""Below this, a segment is not worth a process."""


@attrs.frozen
class Segment:
    start: int
    """Byte offset of its first line: 0 for the first segment (the header), else the
    checkpoint line it starts from."""
    body: int
    """Byte offset of its first record after that line."""
    end: int | None
    """Byte offset where the next segment's records begin (None: the end of the file)."""
    line: int
    """Line number of the line at ``start``."""


def _count_lines(path: Path, upto: int) -> int:
    count = 0
    with open(path, "rb") as stream:
        while stream.tell() < upto:
            chunk = stream.read(min(2**24, upto - stream.tell()))
            if not chunk:
                break
            count += chunk.count(b"\n")
    return count


def plan(path: Path, jobs: int) -> list[Segment] | None:
    """The segments of a ``jobs``-way replay, or None when the trace has no checkpoint
    where one is needed (or is too small to be worth it)."""
    size = path.stat().st_size
    if jobs < 2 or size < 2 * MIN_SEGMENT_BYTES:
        return None
    starts: list[tuple[int, int]] = []
    with open(path, "rb") as stream:
        first = stream.readline()
        previous = len(first)
        for k in range(1, jobs):
            stream.seek(max(size * k // jobs, previous))
            stream.readline()  # the rest of a line
            while True:
                offset = stream.tell()
                line = stream.readline()
                if not line:
                    break
                if line.startswith(CHECKPOINT_PREFIX):
                    starts.append((offset, stream.tell()))
                    previous = stream.tell()
                    break
    if not starts:
        return None
    segments = [Segment(0, len(first), starts[0][1], 1)]
    for index, (offset, body) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else None
        segments.append(Segment(offset, body, end, _count_lines(path, offset) + 1))
    return segments


Outcome = tuple[str, Any]
"""``("report", ReplayReport)``, ``("malformed", (message, line))`` or ``("failure", text)``."""


def _segment_reader(stream: Any, path: Path, segment: Segment, validation: Validation) -> Any:
    source = str(path)
    header = decode_header(_parse(stream.readline(), 1, source), 1, source)
    if not isinstance(header, Header):
        raise MalformedTrace("a system trace (version 3) replays on one core", 1, source)
    stream.seek(segment.start)
    obj = _parse(stream.readline(), segment.line, source)
    problem = schema.check(obj, "checkpoint") or check_state_structure(obj["state"])
    if problem is not None:
        raise MalformedTrace(f"checkpoint {problem}", segment.line, source)
    after = obj["checkpoint"]
    state = wire.decode_state(obj["state"], header.config)
    resume = (header, segment.line, segment.body, after + 1)
    reader = TraceReader(stream, source, validation, resume=resume, end=segment.end)
    return reader, (state, after)


def run_segment(
    path: Path,
    segment: Segment,
    check_every: int,
    validation: Validation,
    progress: Callable[[int], Any] | None = None,
) -> Outcome:
    """Replay one segment; never raises for a malformed trace or a model failure."""
    try:
        with open(path, "rb") as stream:
            if segment.start == 0:
                reader = TraceReader(stream, str(path), validation, end=segment.end)
                if not isinstance(reader.header, Header):
                    raise MalformedTrace("a system trace (version 3) replays on one core", 1)
                replayer = Replayer(reader.header, check_every)
            else:
                reader, start = _segment_reader(stream, path, segment, validation)
                replayer = Replayer(reader.header, check_every, start=start)
            return "report", run(replayer, reader, progress)
    except MalformedTrace as error:
        return "malformed", (error.message, error.line)
    except ModelFailure as error:
        return "failure", str(error)


def _worker(args: tuple[Path, Segment, int, Validation]) -> Outcome:
    return run_segment(*args)


def replay_parallel(
    path: Path,
    segments: list[Segment],
    check_every: int = DEFAULT_CHECK_EVERY,
    validation: Validation = "all",
    progress: Callable[[int], Any] | None = None,
) -> ReplayReport:
    """Replay ``path`` split into ``segments``, the first in this process and the others
    in child processes; the same report as one replay. Raises :class:`MalformedTrace`
    and :class:`ModelFailure` as ``replay`` does."""
    context = multiprocessing.get_context("fork")
    with context.Pool(len(segments) - 1) as pool:
        later = pool.map_async(_worker, [(path, s, check_every, validation) for s in segments[1:]])
        outcomes = [run_segment(path, segments[0], check_every, validation, progress)]
        if outcomes[0][0] == "report" and outcomes[0][1].conforms:
            outcomes += later.get()
    return merge(str(path), outcomes)


def merge(source: str, outcomes: list[Outcome]) -> ReplayReport:
    """The report of one replay, from its segments' outcomes, judged in order."""
    checkpoints = 0
    violations: dict[str, Any] = {}
    report: ReplayReport | None = None
    for kind, value in outcomes:
        if kind == "malformed":
            message, line = value
            raise MalformedTrace(message, line, source)
        if kind == "failure":
            raise ModelFailure(value)
        report = value
        checkpoints += report.checkpoints
        for violation in report.violations:
            violations.setdefault(violation.requirement, violation)
        if not report.conforms:
            break
    assert report is not None
    return attrs.evolve(
        report,
        checkpoints=checkpoints,
        violations=tuple(sorted(violations.values(), key=lambda v: v.step)),
    )


__all__ = ["Header", "Segment", "plan", "replay_parallel", "run_segment"]
