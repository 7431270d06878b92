"""The vector directory: its layout, and writing it.

Layout (after the Ethereum consensus-spec tests: fork / runner / handler / case)::

    DIR/manifest.json                                     marker, counts, every case
    DIR/<policy>/operations/<action>/<case>/config.json   the configuration
                                            pre.json      the whole state before
                                            action.json   the action
                                            post.json     the whole state after   (accepted)
                                            events.json   the events              (accepted)
                                            refusal.json  the error name          (refused)
                                            meta.json     description, source, outcome
    DIR/<policy>/sequences/<case>/trace.jsonl             a multi-step trace, and meta.json
    DIR/gen2/curves/<function>/<case>/case.json           inputs -> output or error
    DIR/<topology>/sequences/<case>/trace.jsonl           a system trace (version 3)

``<policy>`` is gen1, gen2 or gen3, ``<topology>`` isolated or shared; ``<action>`` the
action kind in snake case. Every file is JSON in the trace format's wire form
(``spec/trace.schema.json``; a system trace ``spec/system-trace.schema.json``). The manifest
lists every case with its outcome, so that a checker can tell a case that went missing
or changed from one the generator wrote (``crosscheck.vectors.checking``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crosscheck import schema, wire
from crosscheck.record import record_system_model
from crosscheck.replay import outcome_json
from crosscheck.trace import TraceWriter
from crosscheck.vectors.case import SequenceCase, VectorCase, VectorSource, outcome_label
from crosscheck.vectors.curves import CurveCase
from crosscheck.vectors.systems import SystemSequenceCase
from crosscheck.vectors.target import MARKER, write_staged
from model.outcome import Accepted

VECTORS_VERSION = 2
"""Version 2 added the manifest's ``cases``: every case and its outcome."""
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
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


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


def write_system_sequence(root: Path, case: SystemSequenceCase) -> None:
    """A system vector: its version 3 trace, a checkpoint after the last step, and meta."""
    where = root / case.topology / "sequences" / case.name
    if where.exists():
        raise ValueError(f"two vectors named {where.relative_to(root)}")
    where.mkdir(parents=True)
    record_system_model(
        where / "trace.jsonl",
        case.pre,
        case.actions,
        producer="zle vectors",
        description=case.description,
        checkpoint_every=len(case.actions),
    )
    meta = {"description": case.description, "source": case.source, "outcome": "trace"}
    _dump(where / "meta.json", meta)


def curve_label(case: CurveCase) -> str:
    """``output`` or ``error: CODE``: a curve case's outcome, as the manifest lists it."""
    answer = case.to_json()
    return f"error: {answer['error']}" if "error" in answer else "output"


def write_curve(root: Path, case: CurveCase) -> str:
    where = root / "gen2" / "curves" / case.function / case.name
    if where.exists():
        raise ValueError(f"two vectors named {where.relative_to(root)}")
    _dump(where / "case.json", case.to_json())
    return curve_label(case)


def _write_all(
    root: Path, sources: Iterable[VectorSource], curves: Iterable[CurveCase]
) -> Counter[str]:
    counts: Counter[str] = Counter()
    cases: dict[str, str] = {}
    names = []
    for source in sources:
        names.append(source.name)
        for case in source.cases():
            if isinstance(case, SystemSequenceCase):
                write_system_sequence(root, case)
                counts[f"{case.topology}/sequences"] += 1
                cases[f"{case.topology}/sequences/{case.name}"] = "trace"
            elif isinstance(case, SequenceCase):
                write_sequence(root, case)
                counts[f"{case.policy}/sequences"] += 1
                cases[f"{case.policy}/sequences/{case.name}"] = "trace"
            else:
                label = write_operation(root, case)
                counts[f"{case.policy}/operations"] += 1
                counts["accepted" if label == "accepted" else "refused"] += 1
                cases[f"{case.policy}/operations/{case.handler}/{case.name}"] = label
    for curve in curves:
        cases[f"gen2/curves/{curve.function}/{curve.name}"] = write_curve(root, curve)
        counts["gen2/curves"] += 1
    manifest = {
        MARKER: VECTORS_VERSION,
        "trace_format": schema.FORMAT_VERSION,
        "layout": "<policy>/<runner>/<handler>/<case>/",
        "sources": names,
        "counts": dict(sorted(counts.items())),
        "cases": dict(sorted(cases.items())),
    }
    _dump(root / "manifest.json", manifest)
    return counts


def generate(
    directory: Path,
    sources: Iterable[VectorSource],
    curves: Iterable[CurveCase],
    force: bool = False,
) -> Counter[str]:
    """Write every vector of ``sources`` and ``curves`` under ``directory``; returns counts.

    Never deletes what it did not write: a non-empty ``directory`` that is not a vector
    directory is refused (:class:`crosscheck.vectors.target.TargetRefused`) unless
    ``force``. The vectors are staged and swapped in only when complete
    (``crosscheck.vectors.target``).
    """
    counts: Counter[str] = Counter()

    def write(staging: Path) -> None:
        counts.update(_write_all(staging, sources, curves))

    write_staged(Path(directory), write, force)
    return counts
