"""Reading a vector directory, and checking an implementation against it.

Two phases, so that broken vectors are never blamed on the implementation under test:

1. :func:`load_vectors` reads every case and checks it against the manifest and the
   layout (``crosscheck.vectors.layout``): a case missing, added, replaced by a file, a
   file missing or extra for its outcome (``refusal.json`` in an accepted case), a
   ``meta.json`` that disagrees, a file that is not JSON or not valid against its schema
   definition. Every problem of the directory is collected and raised at once as
   :class:`BadVectors`; nothing has been run yet.
2. :func:`check_vectors` then runs the implementation over the loaded cases. Whatever it
   raises (even ``SystemExit``) is that case's failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from crosscheck import schema, system_adapter
from crosscheck.adapter import (
    ONE_MARKET,
    AdapterError,
    Implementation,
    UnsupportedCase,
    checked_result,
    checked_state,
    implementation_step,
)
from crosscheck.changes import ABSENT, FieldDiff, compare_events, compare_snapshots
from crosscheck.replay import Replayer
from crosscheck.system_replay import SystemReplayer
from crosscheck.system_trace import SystemHeader
from crosscheck.trace import Header, MalformedTrace, Record, StepRecord, TraceReader
from crosscheck.vectors.layout import FILES, VECTORS_VERSION
from crosscheck.vectors.target import MARKER, POLICY_DIRS, TOPOLOGY_DIRS
from crosscheck.wire import JsonObject
from model.errors import RefusalCode

RUNNERS = ("operations", "sequences", "curves")
DEPTH = {"operations": 2, "curves": 2, "sequences": 1}
"""Directory levels below ``<policy>/<runner>/`` down to a case."""
OPERATION_FILES = {"config.json", "pre.json", "action.json", "meta.json"}
OUTCOME_FILES = {"accepted": {"post.json", "events.json"}, "refused": {"refusal.json"}}


class BadVectors(Exception):
    """The vector directory is broken: every problem, sorted by path."""

    def __init__(self, directory: Path, problems: list[str]) -> None:
        self.directory = directory
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(self.problems))


@attrs.frozen
class LoadedCase:
    """One case, read and validated: its files (parsed), or its trace."""

    name: str
    """Path of the case directory, relative to the vector directory."""
    runner: str
    files: dict[str, Any] = attrs.field(factory=dict, repr=False)
    header: Header | SystemHeader | None = attrs.field(default=None, repr=False)
    records: tuple[Record, ...] = attrs.field(default=(), repr=False)


def read_file(path: Path) -> Any:
    """A vector file, parsed and validated against its schema definition."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise MalformedTrace(f"cannot read: {error}", None, str(path)) from None
    except json.JSONDecodeError as error:
        raise MalformedTrace(f"not valid JSON: {error.msg}", error.lineno, str(path)) from None
    except RecursionError:
        raise MalformedTrace("not usable JSON: nested too deeply", None, str(path)) from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise MalformedTrace(f"not usable JSON: {error}", None, str(path)) from None
    try:
        problem = schema.check(obj, FILES[path.name])
    except RecursionError:
        problem = "nested too deeply"
    if problem is not None:
        raise MalformedTrace(problem, None, str(path))
    return obj


def _manifest_cases(directory: Path) -> dict[str, str]:
    manifest = directory / "manifest.json"
    if not manifest.is_file():
        raise BadVectors(directory, [f"{directory}: not a vector directory: no manifest.json"])
    try:
        obj = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadVectors(directory, [f"{manifest}: not readable JSON: {error}"]) from None
    if not isinstance(obj, dict) or MARKER not in obj:
        raise BadVectors(directory, [f"{manifest}: no {MARKER!r} marker: not a vector manifest"])
    if obj[MARKER] != VECTORS_VERSION:
        raise BadVectors(
            directory,
            [
                f"{manifest}: vectors of format {obj[MARKER]!r}; this zle reads format "
                f"{VECTORS_VERSION}: regenerate them with zle vectors generate"
            ],
        )
    cases = obj.get("cases")
    if not isinstance(cases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in cases.items()
    ):
        raise BadVectors(directory, [f"{manifest}: cases: must map each case to its outcome"])
    return cases


def _found_cases(directory: Path, problems: list[str]) -> dict[str, Path]:
    """Every case directory under the policy folders; stray entries are problems."""
    found: dict[str, Path] = {}

    def walk(path: Path, levels: int) -> None:
        for entry in sorted(path.iterdir()):
            if entry.name.startswith("."):
                continue
            if not entry.is_dir():
                what = "a case" if levels == 0 else "a folder"
                problems.append(f"{entry}: a file where {what} directory belongs")
            elif levels == 0:
                found[entry.relative_to(directory).as_posix()] = entry
            else:
                walk(entry, levels - 1)

    for policy in (*POLICY_DIRS, *TOPOLOGY_DIRS):
        top = directory / policy
        if not top.exists():
            continue
        if not top.is_dir():
            problems.append(f"{top}: a file where a policy directory belongs")
            continue
        for runner in sorted(top.iterdir()):
            if runner.name.startswith("."):
                continue
            if runner.name not in RUNNERS or not runner.is_dir():
                problems.append(f"{runner}: not part of the layout ({', '.join(RUNNERS)})")
                continue
            walk(runner, DEPTH[runner.name] - 1)
    return found


def _expected_files(runner: str, outcome: str) -> set[str] | None:
    if runner == "curves":
        return {"case.json"}
    if runner == "sequences":
        return {"trace.jsonl", "meta.json"} if outcome == "trace" else None
    if outcome == "accepted":
        return OPERATION_FILES | OUTCOME_FILES["accepted"]
    code = outcome.removeprefix("refused: ")
    if outcome.startswith("refused: ") and code in RefusalCode.__members__:
        return OPERATION_FILES | OUTCOME_FILES["refused"]
    return None


def _load_case(path: Path, name: str, outcome: str, problems: list[str]) -> LoadedCase | None:
    runner = name.split("/")[1]
    expected = _expected_files(runner, outcome)
    if expected is None:
        problems.append(f"{path}: manifest.json gives it the outcome {outcome!r}")
        return None
    present = {p.name for p in path.iterdir() if not p.name.startswith(".")}
    before = len(problems)
    for missing in sorted(expected - present):
        problems.append(f"{path / missing}: missing (the case's outcome is {outcome})")
    for extra in sorted(present - expected):
        problems.append(f"{path / extra}: does not belong in a case whose outcome is {outcome}")
    if len(problems) > before:
        return None
    files: dict[str, Any] = {}
    for file in sorted(expected - {"trace.jsonl"}):
        try:
            files[file] = read_file(path / file)
        except MalformedTrace as error:
            problems.append(str(error))
    if len(problems) > before:
        return None
    if "meta.json" in files and files["meta.json"]["outcome"] != outcome:
        said = files["meta.json"]["outcome"]
        problems.append(f"{path / 'meta.json'}: outcome {said!r}, manifest.json says {outcome!r}")
    if "refusal.json" in files and outcome != f"refused: {files['refusal.json']['error']}":
        problems.append(f"{path / 'refusal.json'}: error disagrees with the outcome {outcome!r}")
    if "case.json" in files:
        case = files["case.json"]
        said = f"error: {case['error']}" if "error" in case else "output"
        if said != outcome or ("error" in case) == ("output" in case):
            problems.append(f"{path / 'case.json'}: gives {said!r}, manifest.json says {outcome!r}")
    if len(problems) > before:
        return None
    if runner != "sequences":
        return LoadedCase(name, runner, files)
    trace = path / "trace.jsonl"
    try:
        with open(trace, "rb") as stream:
            reader = TraceReader(stream, str(trace))
            records = tuple(reader)
    except MalformedTrace as error:
        problems.append(str(error))
        return None
    except (OSError, ValueError, RecursionError) as error:
        problems.append(f"{trace}: cannot read: {error}")
        return None
    return LoadedCase(name, runner, files, reader.header, records)


def load_vectors(directory: Path) -> list[LoadedCase]:
    """Every case of ``directory``, validated; raises :class:`BadVectors` with every
    problem found."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BadVectors(directory, [f"{directory}: not a directory"])
    listed = _manifest_cases(directory)
    problems: list[str] = []
    found = _found_cases(directory, problems)
    for name in sorted(set(listed) - set(found)):
        where = directory / name
        what = "replaced by a file" if where.exists() else "missing"
        problems.append(f"{where}: a case manifest.json lists is {what}")
    for name in sorted(set(found) - set(listed)):
        problems.append(f"{found[name]}: a case manifest.json does not list")
    cases = []
    for name in sorted(set(found) & set(listed)):
        case = _load_case(found[name], name, listed[name], problems)
        if case is not None:
            cases.append(case)
    if problems:
        raise BadVectors(directory, problems)
    order = {"operations": 0, "curves": 0, "sequences": 1}
    return sorted(cases, key=lambda c: (order[c.runner], c.name))


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


def check_operation(case: LoadedCase, implementation: Implementation) -> tuple[FieldDiff, ...]:
    files = case.files
    implementation.reset(files["config.json"], files["pre.json"])
    result = checked_result(implementation.apply(files["action.json"]))
    if "refusal.json" in files:
        expected = files["refusal.json"]["error"]
        if "refused" not in result:
            return (FieldDiff("outcome", f"refused: {expected}", "accepted"),)
        if result["refused"]["error"] != expected:
            return (FieldDiff("error", expected, result["refused"]["error"]),)
        return ()
    if "accepted" not in result:
        return (FieldDiff("outcome", "accepted", f"refused: {result['refused']['error']}"),)
    diffs = compare_events(files["events.json"], result["accepted"]["events"])
    post = checked_state(implementation.observe())
    diffs += compare_snapshots(files["post.json"], post)
    return tuple(diffs)


def check_curve(case: LoadedCase, implementation: Implementation) -> tuple[FieldDiff, ...] | str:
    curve = getattr(implementation, "curve", None)
    if not callable(curve):
        return "the implementation has no curve(function, inputs) method"
    expected = case.files["case.json"]
    got = curve(expected["function"], expected["inputs"])
    if not isinstance(got, dict):
        raise AdapterError(f"curve() must return a JSON object, not {got!r:.200}")
    for key in ("output", "error"):
        if expected.get(key, ABSENT) != got.get(key, ABSENT):
            return (FieldDiff(key, expected.get(key, ABSENT), got.get(key, ABSENT)),)
    return ()


def check_sequence(case: LoadedCase, implementation: Implementation) -> tuple[FieldDiff, ...]:
    """A sequence vector (version 2, or a system's version 3) against the implementation:
    every step compared as a replay compares it."""
    header = case.header
    assert header is not None
    replayer: Replayer | SystemReplayer
    if isinstance(header, Header):
        form, replayer = ONE_MARKET, Replayer(header, check_every=0)
    else:
        system_adapter.require_systems(implementation)
        form, replayer = system_adapter.SYSTEM, SystemReplayer(header, check_every=0)
    implementation.reset(header.raw["config"], header.raw["state"])
    snapshot = checked_state(implementation.observe(), form)
    for record in case.records:
        if not isinstance(record, StepRecord):
            continue
        action = record.raw["action"]
        result, snapshot = implementation_step(implementation, action, snapshot, form)
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


def run_case(case: LoadedCase, implementation: Implementation) -> CaseResult:
    """One case against the implementation; anything the implementation raises, even
    ``SystemExit``, is this case's failure, except :class:`UnsupportedCase`: a case the
    implementation says it does not implement (another policy) is skipped."""
    try:
        if case.runner == "curves":
            outcome = check_curve(case, implementation)
            if isinstance(outcome, str):
                return CaseResult(case.name, skipped=outcome)
            return CaseResult(case.name, diffs=outcome)
        if case.runner == "sequences":
            return CaseResult(case.name, diffs=check_sequence(case, implementation))
        return CaseResult(case.name, diffs=check_operation(case, implementation))
    except UnsupportedCase as error:
        return CaseResult(case.name, skipped=str(error))
    except AdapterError as error:
        return CaseResult(case.name, error=str(error))
    except SystemExit as error:
        return CaseResult(case.name, error=f"the implementation called sys.exit({error.code!r})")
    except Exception as error:
        return CaseResult(
            case.name, error=f"the implementation raised {type(error).__name__}: {error}"
        )


def check_vectors(directory: Path, implementation: Implementation) -> Iterator[CaseResult]:
    """Run ``implementation`` over every vector; one result per case.

    Raises :class:`BadVectors` (before any case runs) for a broken vector directory.
    """
    for case in load_vectors(directory):
        yield run_case(case, implementation)
