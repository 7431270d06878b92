"""Reading and writing traces: JSON Lines, a header, then steps and checkpoints.

Requirement: TRACE-FORMAT.

``spec/trace-format.md`` is the normative description. Reading streams: records are
decoded one line at a time, so a trace of any length replays in constant memory.
Every line is read strictly (``crosscheck.strict_json``: unique keys, finite numbers,
valid Unicode, bounded nesting) and every record is validated against
``spec/trace.schema.json``. The header and checkpoints go through the schema validator.
A step record is validated while it is decoded and compared (``validate="all"``): its
shape and its action are checked exactly as the schema states them
(``wire.decode_action_strict``), and its events and changes, when they equal the
model's own, are valid because the model's encodings are (a test holds them to the
schema); a step that differs from the model goes through the schema validator before
its divergence is reported, so a malformed record is never reported as a divergence,
and never as conforming. ``validate="schema"`` puts every step through the schema
validator as well (slower; for auditing the fast path); ``"sample"`` is the same as
``"all"`` (it once validated one record in 64). A malformed trace raises
:class:`MalformedTrace`, naming the line and what is wrong.
Writing is atomic: a trace appears complete under its name, or not at all.

A header with ``"zle_trace": 3`` starts a system trace (``crosscheck.system_trace``): the
same reader, with the system schema, the system action decoder and the system's
structure checks.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, Self

import attrs

from crosscheck import schema, wire
from crosscheck.strict_json import BadJson, strict_loads
from crosscheck.wire import Json, JsonObject
from model.actions import Action
from model.params.records import Config
from model.params.validation import validate
from model.state import State

if TYPE_CHECKING:
    from crosscheck.system_trace import SystemHeader

Validation = Literal["all", "sample", "schema"]


class MalformedTrace(Exception):
    """The trace (or vector) cannot be read: where, and what is wrong."""

    def __init__(self, message: str, line: int | None = None, source: str = "") -> None:
        self.line = line
        self.message = message
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


@attrs.frozen
class Header:
    config: Config
    state: State
    raw: JsonObject = attrs.field(repr=False)


SYSTEM_FORMAT_VERSION = 3
"""A system trace (``crosscheck.system_trace``); ``crosscheck.system_wire`` says it too."""


@attrs.frozen
class StepRecord:
    line: int
    number: int
    action: Action
    """An engine action; in a system trace, a ``model.system`` action."""
    raw: JsonObject = attrs.field(repr=False)
    validated: bool

    @property
    def accepted(self) -> bool:
        return "accepted" in self.raw


@attrs.frozen
class Checkpoint:
    line: int
    after: int
    """Number of steps applied before this checkpoint."""
    state: JsonObject = attrs.field(repr=False)


Record = StepRecord | Checkpoint


def _parse(text: bytes, line: int, source: str) -> Json:
    try:
        return strict_loads(text)
    except BadJson as error:
        raise MalformedTrace(str(error), line, source) from None


def _step_shape(obj: JsonObject) -> bool:
    """A step record's keys: ``step``, ``action`` and exactly one of accepted/refused."""
    return len(obj) == 3 and ("accepted" in obj) != ("refused" in obj) and "step" in obj


def check_state_structure(state: JsonObject) -> str | None:
    """What makes a schema-valid state unusable, beyond the schema: dangling references."""
    next_position = int(state["next_position"])
    next_auction = int(state["next_auction"])
    for key in state["positions"]:
        if int(key) >= next_position:
            return f"positions/{key}: id is not below next_position ({next_position})"
    for key, auction in state["auctions"].items():
        if int(key) >= next_auction:
            return f"auctions/{key}: id is not below next_auction ({next_auction})"
        if auction["position"] not in state["positions"]:
            return f"auctions/{key}/position: position {auction['position']} does not exist"
    if int(state["oracle"]["reference"]) == 0:
        return "oracle/reference: must be > 0"
    return None


def decode_header(obj: Json, line: int = 1, source: str = "") -> Header | SystemHeader:
    """The header record, validated: schema, parameters, and the state's references; a
    version 3 header (a system of markets) by ``system_trace.decode_system_header``."""
    if not isinstance(obj, dict) or "zle_trace" not in obj:
        found = "a step record" if isinstance(obj, dict) and "step" in obj else "something else"
        raise MalformedTrace(
            f'missing header: the first line must be {{"zle_trace": {schema.FORMAT_VERSION}, '
            f'"config": ..., "state": ...}}; found {found}',
            line,
            source,
        )
    version = obj["zle_trace"]
    if version == SYSTEM_FORMAT_VERSION and type(version) is int:
        from crosscheck.system_trace import decode_system_header

        return decode_system_header(obj, line, source)
    if version != schema.FORMAT_VERSION and type(version) is int:
        raise MalformedTrace(
            f"header: trace format version {version} is not supported: this model reads "
            f"version {schema.FORMAT_VERSION} (one market) and {SYSTEM_FORMAT_VERSION} (a "
            "system of markets); version 2 bounds the reference price's move per "
            "unit of time, config.oracle.step_period; spec/trace-format.md",
            line,
            source,
        )
    problem = schema.check(obj, "header")
    if problem is not None:
        raise MalformedTrace(f"header {problem}", line, source)
    config = wire.decode_config(obj["config"])
    errors = validate(config)
    if errors:
        listed = "; ".join(str(e) for e in errors)
        raise MalformedTrace(f"header: invalid parameters: {listed}", line, source)
    problem = check_state_structure(obj["state"])
    if problem is not None:
        raise MalformedTrace(f"header at state/{problem}", line, source)
    return Header(config=config, state=wire.decode_state(obj["state"], config), raw=obj)


class TraceReader:
    """Iterates a trace's records after reading its header; counts bytes for progress."""

    def __init__(
        self,
        stream: IO[bytes],
        source: str = "",
        validation: Validation = "all",
        *,
        resume: tuple[Header, int, int, int] | None = None,
        end: int | None = None,
    ):
        """``resume``: read a segment of the trace from where ``stream`` stands, with
        ``(header, line, offset, expected_step)`` of that place (parallel replay); ``end``:
        the byte offset at which the segment stops."""
        self._stream = stream
        self.source = source
        self.validation = validation
        self.bytes_read = 0
        self.line = 0
        self._expected = 1
        self._end = end
        self.header: Header | SystemHeader
        if resume is None:
            self.header = decode_header(self._next_object(required=True), 1, source)
        else:
            self.header, self.line, self.bytes_read, self._expected = resume
        self.system = not isinstance(self.header, Header)
        """A system trace (version 3): its own schema, actions and structure checks."""

    def _next_object(self, required: bool = False) -> Json:
        while True:
            if self._end is not None and self.bytes_read >= self._end:
                return None
            text = self._stream.readline()
            if not text:
                if required:
                    raise MalformedTrace("empty file: a trace starts with a header line", 1)
                return None
            self.line += 1
            self.bytes_read += len(text)
            if text.strip():
                return _parse(text, self.line, self.source)
            if self._stream.readline():
                raise MalformedTrace("blank line inside the trace", self.line, self.source)
            return None

    def fail(self, message: str) -> MalformedTrace:
        return MalformedTrace(message, self.line, self.source)

    def explain(self, obj: Json, definition: str) -> str | None:
        """Why ``obj`` is not a valid ``definition`` (``step``, ``checkpoint``) of this
        trace's version, or None."""
        if self.system:
            from crosscheck import system_schema

            return system_schema.check(obj, f"system_{definition}")
        return schema.check(obj, definition)

    def _structure(self, state: JsonObject) -> str | None:
        if isinstance(self.header, Header):
            return check_state_structure(state)
        from crosscheck.system_trace import check_system_structure

        return check_system_structure(state, self.header.raw["config"]["markets"])

    def _action_decoder(self) -> Callable[[Json], Action | None]:
        """The strict action decoder of this trace's version (chosen once per read)."""
        if self.system:
            from crosscheck.system_wire import decode_action_strict

            return decode_action_strict  # type: ignore[return-value]
        return wire.decode_action_strict

    def __iter__(self) -> Iterator[Record]:
        expected = self._expected
        decode_action = self._action_decoder()
        while True:
            obj = self._next_object()
            if obj is None:
                return
            line = self.line
            if not isinstance(obj, dict):
                raise self.fail(f"a record is a JSON object, not {type(obj).__name__}")
            if "zle_trace" in obj:
                raise self.fail("a second header: a trace has one header, on its first line")
            if "checkpoint" in obj:
                problem = self.explain(obj, "checkpoint")
                if problem is not None:
                    raise self.fail(f"checkpoint {problem}")
                if obj["checkpoint"] != expected - 1:
                    raise self.fail(
                        f"checkpoint after step {obj['checkpoint']}, but {expected - 1} "
                        "steps precede it"
                    )
                structure = self._structure(obj["state"])
                if structure is not None:
                    raise self.fail(f"checkpoint at state/{structure}")
                yield Checkpoint(line=line, after=expected - 1, state=obj["state"])
                continue
            validated = self.validation == "schema"
            if validated:
                problem = self.explain(obj, "step")
                if problem is not None:
                    raise self.fail(f"step {problem}")
            action = decode_action(obj.get("action"))
            number = obj.get("step")
            if action is None or type(number) is not int or not _step_shape(obj):
                problem = self.explain(obj, "step")
                raise self.fail(f"step {problem or 'is not a step record'}")
            if number != expected:
                raise self.fail(f"step {number} where step {expected} was expected")
            yield StepRecord(
                line=line, number=expected, action=action, raw=obj, validated=validated
            )
            expected += 1


def open_trace(path: str | Path, validation: Validation = "all") -> tuple[TraceReader, IO[bytes]]:
    """A reader over the trace at ``path`` (``-`` for standard input), and its stream."""
    import sys

    if str(path) == "-":
        stream: IO[bytes] = sys.stdin.buffer
    else:
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as error:
            raise MalformedTrace(f"cannot read: {error.strerror}", None, str(path)) from None
    try:
        return TraceReader(stream, str(path), validation), stream
    except BaseException:
        stream.close()
        raise


# --- writing --------------------------------------------------------------------------


def dumps(obj: Json) -> str:
    """One compact JSON line (no trailing newline)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def header_record(
    config: Config, state: State, producer: str = "", description: str = ""
) -> JsonObject:
    obj: JsonObject = {
        "zle_trace": schema.FORMAT_VERSION,
        "config": wire.encode_config(config),
        "state": wire.encode_state(state),
    }
    if producer:
        obj["producer"] = producer
    if description:
        obj["description"] = description
    return obj


def step_record(number: int, action: JsonObject, result: JsonObject) -> JsonObject:
    """``result`` is ``{"accepted": {"events", "changes"}}`` or ``{"refused": {...}}``."""
    return {"step": number, "action": action, **result}


class AtomicWriter:
    """A text file written to a temporary name and renamed into place on success."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self._tmp = Path(tmp)
        self._file = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, text: str) -> None:
        self._file.write(text)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._file.close()
        if kind is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)  # mkstemp creates 0600
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)


class TraceWriter(AtomicWriter):
    """Writes a trace line by line; the file appears only once it is complete."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self.steps = 0

    def header(
        self, config: Config, state: State, producer: str = "", description: str = ""
    ) -> None:
        self.write(dumps(header_record(config, state, producer, description)) + "\n")

    def record(self, obj: JsonObject) -> None:
        self.write(dumps(obj) + "\n")

    def step(self, action: JsonObject, result: JsonObject) -> None:
        self.steps += 1
        self.record(step_record(self.steps, action, result))

    def checkpoint(self, state: JsonObject) -> None:
        self.record({"checkpoint": self.steps, "state": state})


def write_json(path: str | Path, obj: Any) -> None:
    """A pretty-printed JSON file, written atomically (vectors, reports)."""
    with AtomicWriter(path) as out:
        out.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
