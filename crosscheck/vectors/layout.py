"""The vector directory: writing it, reading it, and checking an implementation against it.

Layout (after the Ethereum consensus-spec tests: fork / runner / handler / case)::

    DIR/manifest.json
    DIR/<policy>/operations/<action>/<case>/config.json   the configuration
                                            pre.json      the whole state before
                                            action.json   the action
                                            post.json     the whole state after   (accepted)
                                            events.json   the events              (accepted)
                                            refusal.json  the error name          (refused)
                                            meta.json     description, source, outcome
    DIR/<policy>/sequences/<case>/trace.jsonl             a multi-step trace, and meta.json
    DIR/gen2/curves/<function>/<case>/case.json           inputs -> output or error

``<policy>`` is gen1, gen2 or gen3; ``<action>`` the action kind in snake case. Every
file is JSON in the trace format's wire form (``spec/trace.schema.json``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from crosscheck import schema, wire
from crosscheck.adapter import AdapterError, Implementation, checked_result, checked_state
from crosscheck.changes import ABSENT, FieldDiff, compare_events, compare_snapshots
from crosscheck.record import implementation_step
from crosscheck.replay import Replayer, outcome_json
from crosscheck.trace import MalformedTrace, StepRecord, TraceReader, TraceWriter
from crosscheck.vectors.case import SequenceCase, VectorCase, VectorSource, outcome_label
from crosscheck.vectors.curves import CurveCase
from crosscheck.wire import JsonObject
from model.outcome import Accepted

VECTORS_VERSION = 1
FILES = {
    "config.json": "config",
    "pre.json": "state",
    "action.json": "action",
    "post.json": "state",
    "events.json": "events",
    "refusal.json": "refusal",
    "meta.json": "vector_meta",
    "case.json": "curve_case",
}
"""Each vector file and the schema definition it must match."""


def _dump(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def write_operation(root: Path, case: VectorCase) -> str:
    """Write one operation vector; returns its outcome label."""
    where = root / case.policy / "operations" / case.handler / case.name
    if where.exists():
        raise ValueError(f"two vectors named {where.relative_to(root)}")
    outcome = case.outcome()
    _dump(where / "config.json", wire.encode_config(case.config))
    _dump(where / "pre.json", wire.encode_state(case.pre))
    _dump(where / "action.json", wire.encode_action(case.action))  # type: ignore[arg-type]
    if isinstance(outcome, Accepted):
        _dump(where / "post.json", wire.encode_state(outcome.state))
        _dump(where / "events.json", wire.encode_events(outcome.events))
    else:
        _dump(where / "refusal.json", wire.encode_refusal(outcome.refusal))
    label = outcome_label(outcome)
    meta = {"description": case.description, "source": case.source, "outcome": label}
    _dump(where / "meta.json", meta)
    return label


def write_sequence(root: Path, case: SequenceCase) -> None:
    from model.engine import step as model_step

    where = root / case.policy / "sequences" / case.name
    where.mkdir(parents=True, exist_ok=True)
    state = case.pre
    with TraceWriter(where / "trace.jsonl") as out:
        out.header(case.config, state, producer="zle vectors", description=case.description)
        for action in case.actions:
            outcome = model_step(state, action)
            out.step(wire.encode_action(action), outcome_json(outcome, state, action))  # type: ignore[arg-type]
            state = outcome.state
        out.checkpoint(wire.encode_state(state))
    meta = {"description": case.description, "source": case.source, "outcome": "trace"}
    _dump(where / "meta.json", meta)


def write_curve(root: Path, case: CurveCase) -> None:
    _dump(root / "gen2" / "curves" / case.function / case.name / "case.json", case.to_json())


def generate(
    directory: Path, sources: Iterable[VectorSource], curves: Iterable[CurveCase]
) -> Counter[str]:
    """Write every vector of ``sources`` and ``curves`` under ``directory``, atomically.

    The vectors are written to a temporary directory beside ``directory`` and moved into
    place only when complete; an existing ``directory`` is replaced. Returns counts.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    counts: Counter[str] = Counter()
    try:
        names = []
        for source in sources:
            names.append(source.name)
            for case in source.cases():
                if isinstance(case, SequenceCase):
                    write_sequence(staging, case)
                    counts[f"{case.policy}/sequences"] += 1
                else:
                    label = write_operation(staging, case)
                    counts[f"{case.policy}/operations"] += 1
                    counts["accepted" if label == "accepted" else "refused"] += 1
        for curve in curves:
            write_curve(staging, curve)
            counts["gen2/curves"] += 1
        manifest = {
            "zle_vectors": VECTORS_VERSION,
            "trace_format": schema.FORMAT_VERSION,
            "layout": "<policy>/<runner>/<handler>/<case>/",
            "sources": names,
            "counts": dict(sorted(counts.items())),
        }
        _dump(staging / "manifest.json", manifest)
        if directory.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old.", dir=directory.parent))
            directory.rename(old / "v")
            staging.rename(directory)
            shutil.rmtree(old)
        else:
            staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


# --- reading and checking -------------------------------------------------------------


def read_file(path: Path) -> Any:
    """A vector file, parsed and validated against its schema definition."""
    try:
        obj = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as error:
        raise MalformedTrace(f"cannot read: {error}", None, str(path)) from None
    except json.JSONDecodeError as error:
        raise MalformedTrace(f"not valid JSON: {error.msg}", error.lineno, str(path)) from None
    problem = schema.check(obj, FILES[path.name])
    if problem is not None:
        raise MalformedTrace(problem, None, str(path))
    return obj


@attrs.frozen
class CaseResult:
    case: str
    """Path of the case directory, relative to the vector directory."""
    diffs: tuple[FieldDiff, ...] = ()
    error: str = ""
    skipped: str = ""

    @property
    def passed(self) -> bool:
        return not self.diffs and not self.error and not self.skipped

    def to_json(self) -> JsonObject:
        obj: JsonObject = {"case": self.case, "passed": self.passed}
        if self.diffs:
            obj["diffs"] = [d.to_json() for d in self.diffs]
        if self.error:
            obj["error"] = self.error
        if self.skipped:
            obj["skipped"] = self.skipped
        return obj


def find_cases(directory: Path) -> Iterator[Path]:
    """Every case directory, in a stable order."""
    manifest = directory / "manifest.json"
    if not manifest.exists():
        raise MalformedTrace("not a vector directory: no manifest.json", None, str(directory))
    for path in sorted(directory.glob("*/*/*/*/")):
        if path.parts[-3] == "operations" or path.parts[-3] == "curves":
            yield path
    for path in sorted(directory.glob("*/sequences/*/")):
        yield path


def check_operation(path: Path, implementation: Implementation) -> tuple[FieldDiff, ...]:
    config = read_file(path / "config.json")
    pre = read_file(path / "pre.json")
    action = read_file(path / "action.json")
    implementation.reset(config, pre)
    result = checked_result(implementation.apply(action))
    if (path / "refusal.json").exists():
        expected = read_file(path / "refusal.json")["error"]
        if "refused" not in result:
            return (FieldDiff("outcome", f"refused: {expected}", "accepted"),)
        if result["refused"]["error"] != expected:
            return (FieldDiff("error", expected, result["refused"]["error"]),)
        return ()
    if "accepted" not in result:
        return (FieldDiff("outcome", "accepted", f"refused: {result['refused']['error']}"),)
    diffs = compare_events(read_file(path / "events.json"), result["accepted"]["events"])
    post = checked_state(implementation.observe())
    diffs += compare_snapshots(read_file(path / "post.json"), post)
    return tuple(diffs)


def check_curve(path: Path, implementation: Implementation) -> tuple[FieldDiff, ...] | str:
    curve = getattr(implementation, "curve", None)
    if not callable(curve):
        return "the implementation has no curve(function, inputs) method"
    case = read_file(path / "case.json")
    got = curve(case["function"], case["inputs"])
    for key in ("output", "error"):
        if case.get(key, ABSENT) != got.get(key, ABSENT):
            return (FieldDiff(key, case.get(key, ABSENT), got.get(key, ABSENT)),)
    return ()


def check_sequence(path: Path, implementation: Implementation) -> tuple[FieldDiff, ...]:
    with open(path / "trace.jsonl", "rb") as stream:
        reader = TraceReader(stream, str(path / "trace.jsonl"))
        records = list(reader)
    header = reader.header
    implementation.reset(header.raw["config"], header.raw["state"])
    snapshot = checked_state(implementation.observe())
    replayer = Replayer(header, check_every=0)
    for record in records:
        if not isinstance(record, StepRecord):
            continue
        action = record.raw["action"]
        result, snapshot = implementation_step(implementation, action, snapshot)
        raw = {"step": record.number, "action": action, **result}
        mine = StepRecord(
            line=record.line, number=record.number, action=record.action, raw=raw, validated=True
        )
        divergence = replayer.step(mine)
        if divergence is not None:
            return tuple(
                FieldDiff(f"step {divergence.step}: {d.path}", d.expected, d.recorded)
                for d in divergence.diffs
            )
    return ()


def check_vectors(directory: Path, implementation: Implementation) -> Iterator[CaseResult]:
    """Run ``implementation`` over every vector; one result per case.

    Raises :class:`MalformedTrace` for a malformed vector directory.
    """
    directory = Path(directory)
    for path in find_cases(directory):
        name = str(path.relative_to(directory))
        runner = path.parts[-3] if path.parts[-3] != "sequences" else "sequences"
        if path.parts[-2] == "sequences":
            runner = "sequences"
        try:
            if runner == "curves":
                outcome = check_curve(path, implementation)
                if isinstance(outcome, str):
                    yield CaseResult(name, skipped=outcome)
                    continue
                diffs = outcome
            elif runner == "sequences":
                diffs = check_sequence(path, implementation)
            else:
                diffs = check_operation(path, implementation)
        except MalformedTrace:
            raise
        except AdapterError as error:
            yield CaseResult(name, error=str(error))
            continue
        except Exception as error:
            yield CaseResult(
                name, error=f"the implementation raised {type(error).__name__}: {error}"
            )
            continue
        yield CaseResult(name, diffs=diffs)
