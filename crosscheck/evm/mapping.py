"""The mapping file: how the EVM adapter speaks to one contract, in TOML.

It says, in the model's vocabulary, everything the adapter cannot guess:

- ``[contract]``: the source (a ``.vy`` file, compiled with ``vyper``, or a ``.json``
  artifact ``{"abi", "bytecode"}`` from any compiler) and the ``policies`` it implements
  (a configuration of another policy is a skipped vector, not a failure);
- ``[deploy] args``: the constructor's arguments, each a path into the configuration
  (``config.policy.gen2.mat``) or the start state (``state.oracle.spot``), a literal
  integer, or ``{path = ..., default = 0}`` for a field some configurations lack; a path
  that ends on a tagged object (``config.policy.gen2.curve``) gives its kind's name, and a
  path may pass through one (``config.policy.gen2.curve.tau``);
- ``[enums.NAME]``: the number the contract uses for each name (a curve kind, a
  ``Buffer`` of ``ShortfallCovered.source``);
- ``[state]``: for every field of the observable state (``spec/trace-format.md``), the
  getter that reads it and the loader that writes it (``{get, set}``); a record's getter
  returns, and its loader takes, its fields in the order of ``spec/state.md``; a map's
  take the key first. ``positions`` are read at every id below ``next_position``,
  ``auctions`` below ``next_auction`` where the ``exists`` getter says so (settled ones
  are gone), ``lp_shares`` for every account the adapter has seen (0 is no entry);
- ``[actions.KIND]``: ``{call, sender, args}`` (the function, the action's account field
  that sends it, the action's fields passed in order) or ``{refuse = "CODE"}`` for a kind
  the contract does not implement;
- ``[ids]``: the refusal of an id no uint256 can carry (no map holds it);
- ``[reverts]``: revert reason -> refusal code (``Panic(0x11)`` names a Solidity panic);
- ``[curves]``: the function for each abacus vector (``rpow``, ``linear_decrease`` ...);
- ``[events.KIND]``: ``{log, fields}`` for a log named otherwise than the model's event,
  and ``[events] ignore = [...]``: logs that are not the model's.

Every problem of a file is reported at once, ``FILE:LINE: field: what is wrong``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from crosscheck import wire
from model.actions import FIELD_KINDS
from model.errors import RefusalCode
from simulation.file_text import ConfigFileError, Problem, key_lines, parse_toml

CURVE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "rpow": ("x", "n", "base"),
    "linear_decrease": ("top", "dur", "tau"),
    "stairstep_exponential_decrease": ("top", "dur", "step", "cut"),
    "exponential_decrease": ("top", "dur", "cut"),
}
"""The abacus functions of the curve vectors, with their inputs in the order passed."""

SECTIONS = ("contract", "deploy", "enums", "state", "actions", "ids", "reverts", "curves", "events")


@attrs.frozen
class Argument:
    """A constructor argument: a path into ``{"config", "state"}``, or a literal."""

    path: str = ""
    literal: int | None = None
    default: int | None = None


@attrs.frozen
class Accessor:
    """The getter and loader of one field of the observable state."""

    get: str
    set: str
    exists: str = ""
    """A map's getter of whether a key is present (the auctions: settled ones are gone)."""


@attrs.frozen
class ActionCall:
    """How one action kind reaches the contract, or the refusal that answers it."""

    call: str = ""
    sender: str = ""
    args: tuple[str, ...] = ()
    refuse: str = ""


@attrs.frozen
class EventLog:
    """The log that carries one model event, and its arguments' names by field."""

    log: str
    fields: dict[str, str]


@attrs.frozen
class ContractMapping:
    """A mapping file, read and checked (everything but the contract's ABI)."""

    path: Path
    source: Path
    policies: tuple[str, ...]
    deploy: tuple[Argument, ...]
    enums: dict[str, dict[str, int]]
    state: dict[str, Accessor]
    actions: dict[str, ActionCall]
    ids: dict[str, str]
    reverts: dict[str, str]
    curves: dict[str, str]
    events: dict[str, EventLog]
    ignored_logs: frozenset[str]
    lines: dict[str, int] = attrs.field(repr=False, factory=dict)

    def line(self, field: str) -> int | None:
        """The line of ``field`` (a dotted path) in the file, or of its nearest table."""
        return line_of(self.lines, field)


def line_of(lines: Mapping[str, int], field: str) -> int | None:
    parts = field.split(".")
    for end in range(len(parts), 0, -1):
        found = lines.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


class _Reader:
    """Collects every problem of one file, each with its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = key_lines(text)
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith('"') and '"' in stripped[1:]:  # a quoted key: a revert reason
                self.lines.setdefault(f"reverts.{stripped[1:].split(chr(34), 1)[0]}", number)
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), line_of(self.lines, field), field, message))

    def table(self, doc: Mapping[str, Any], name: str, required: bool = True) -> dict[str, Any]:
        value = doc.get(name)
        if value is None:
            if required:
                self.problem(name, "missing: the file needs this table")
            return {}
        if not isinstance(value, dict):
            self.problem(name, f"must be a table, not {value!r}")
            return {}
        return value

    def text(self, value: object, field: str) -> str:
        if not isinstance(value, str) or not value:
            self.problem(field, f"must be a non-empty string, not {value!r}")
            return ""
        return value

    def code(self, value: object, field: str) -> str:
        code = self.text(value, field)
        if code and code not in RefusalCode.__members__:
            self.problem(field, f"{code!r} is not a refusal code (model/errors.py)")
            return ""
        return code


def _argument(reader: _Reader, value: object, field: str) -> Argument:
    if isinstance(value, int) and not isinstance(value, bool):
        return Argument(literal=value)
    if isinstance(value, dict):
        unknown = set(value) - {"path", "default"}
        if unknown:
            reader.problem(field, f"unknown key(s) {sorted(unknown)}: expected path, default")
        default = value.get("default")
        if default is not None and (not isinstance(default, int) or isinstance(default, bool)):
            reader.problem(field, f"default must be an integer, not {default!r}")
            default = None
        value = value.get("path")
    else:
        default = None
    path = reader.text(value, field)
    if path and path.split(".")[0] not in ("config", "state"):
        reader.problem(field, f"{path!r}: a path starts with config. or state.")
    return Argument(path=path, default=default)


def _accessor(reader: _Reader, name: str, value: object) -> Accessor | None:
    field = f"state.{name}"
    if not isinstance(value, dict):
        reader.problem(field, f"must be a table {{get = ..., set = ...}}, not {value!r}")
        return None
    unknown = set(value) - {"get", "set", "exists"}
    if unknown:
        reader.problem(field, f"unknown key(s) {sorted(unknown)}: expected get, set, exists")
    get = reader.text(value.get("get"), f"{field}.get")
    setter = reader.text(value.get("set"), f"{field}.set")
    exists = ""
    if "exists" in value:
        if name not in wire.MAPS:
            reader.problem(f"{field}.exists", "belongs to a map (positions, auctions, lp_shares)")
        exists = reader.text(value["exists"], f"{field}.exists")
    return Accessor(get=get, set=setter, exists=exists)


def _action(reader: _Reader, kind: str, value: object) -> ActionCall | None:
    field = f"actions.{kind}"
    cls = wire.ACTIONS.get(kind)
    if cls is None:
        reader.problem(field, f"{kind!r} is not an action kind (model/actions.py)")
        return None
    if not isinstance(value, dict):
        reader.problem(
            field, f"must be a table {{call, sender, args}} or {{refuse}}, not {value!r}"
        )
        return None
    if "refuse" in value:
        if set(value) != {"refuse"}:
            reader.problem(field, "refuse stands alone: a refused kind calls nothing")
        return ActionCall(refuse=reader.code(value["refuse"], f"{field}.refuse"))
    unknown = set(value) - {"call", "sender", "args"}
    if unknown:
        reader.problem(field, f"unknown key(s) {sorted(unknown)}: expected call, sender, args")
    kinds = dict(FIELD_KINDS[cls])
    sender = value.get("sender", "")
    if sender and kinds.get(sender) != "account":
        accounts = [n for n, k in kinds.items() if k == "account"]
        reader.problem(
            f"{field}.sender", f"{sender!r} is not an account field of {kind}: {accounts}"
        )
    args = value.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        reader.problem(f"{field}.args", f"must be a list of {kind}'s field names")
        args = []
    for arg in args:
        if arg not in kinds:
            reader.problem(f"{field}.args", f"{arg!r} is not a field of {kind}: {list(kinds)}")
    return ActionCall(
        call=reader.text(value.get("call"), f"{field}.call"), sender=str(sender), args=tuple(args)
    )


def _events(
    reader: _Reader, table: Mapping[str, Any]
) -> tuple[dict[str, EventLog], frozenset[str]]:
    events: dict[str, EventLog] = {}
    ignored = table.get("ignore", [])
    if not isinstance(ignored, list) or not all(isinstance(i, str) for i in ignored):
        reader.problem("events.ignore", "must be a list of log names")
        ignored = []
    for kind, value in table.items():
        if kind == "ignore":
            continue
        field = f"events.{kind}"
        cls = wire.EVENTS.get(kind)
        if cls is None:
            reader.problem(field, f"{kind!r} is not an event kind (model/events.py)")
            continue
        if not isinstance(value, dict) or not isinstance(value.get("log", kind), str):
            reader.problem(field, "must be a table {log = ..., fields = {...}}")
            continue
        fields = value.get("fields", {})
        names = [n for n, _ in wire.shape(cls)]
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            reader.problem(f"{field}.fields", "must map the event's fields to the log's arguments")
            fields = {}
        for name in fields:
            if name not in names:
                reader.problem(f"{field}.fields", f"{name!r} is not a field of {kind}: {names}")
        events[kind] = EventLog(log=value.get("log", kind), fields=dict(fields))
    return events, frozenset(ignored)


def read_mapping(path: Path | str) -> ContractMapping:
    """The mapping file at ``path``, checked; :class:`ConfigFileError` lists every problem."""
    path = Path(path)
    doc, text = parse_toml(path)
    reader = _Reader(path, text)
    for section in doc:
        if section not in SECTIONS:
            reader.problem(section, f"unknown table: expected one of {', '.join(SECTIONS)}")

    contract = reader.table(doc, "contract")
    named = reader.text(contract.get("source"), "contract.source")
    source = path.parent / named
    if named and source.suffix not in (".vy", ".json"):
        reader.problem("contract.source", f"{named!r}: must be a .vy source or a .json artifact")
    elif named and not source.is_file():
        reader.problem("contract.source", f"{source}: no such file")
    policies = contract.get("policies", [])
    if not isinstance(policies, list) or not policies or not set(policies) <= set(wire.POLICIES):
        reader.problem("contract.policies", f"must list some of {list(wire.POLICIES)}")
        policies = []

    deploy = reader.table(doc, "deploy")
    args = deploy.get("args", [])
    if not isinstance(args, list):
        reader.problem("deploy.args", "must be a list")
        args = []
    arguments = tuple(_argument(reader, a, f"deploy.args[{i}]") for i, a in enumerate(args))

    enums: dict[str, dict[str, int]] = {}
    for name, table in reader.table(doc, "enums", required=False).items():
        if not isinstance(table, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in table.values()
        ):
            reader.problem(f"enums.{name}", "must map each name to an integer")
            continue
        enums[name] = dict(table)

    state: dict[str, Accessor] = {}
    state_table = reader.table(doc, "state")
    for name in state_table:
        if name not in wire.STATE_FIELDS:
            reader.problem(f"state.{name}", f"not a field of the observable state: {name!r}")
    for name in wire.STATE_FIELDS:
        if name not in state_table:
            # an optional field (pre-liquidation terms, the steward) may be left out: the
            # contract then has none, and a state that holds one cannot be loaded into it
            if state_table and name not in wire.OPTIONAL:
                reader.problem(f"state.{name}", "missing: every field of the state needs get/set")
            continue
        accessor = _accessor(reader, name, state_table[name])
        if accessor is not None:
            state[name] = accessor

    actions: dict[str, ActionCall] = {}
    for kind, value in reader.table(doc, "actions").items():
        found = _action(reader, kind, value)
        if found is not None:
            actions[kind] = found

    ids = {}
    for name, value in reader.table(doc, "ids", required=False).items():
        if name not in ("position", "auction"):
            reader.problem(f"ids.{name}", "expected position or auction")
        ids[name] = reader.code(value, f"ids.{name}")

    reverts = {
        str(reason): reader.code(code, f"reverts.{reason}")
        for reason, code in reader.table(doc, "reverts").items()
    }

    curves = {}
    for name, value in reader.table(doc, "curves", required=False).items():
        if name not in CURVE_FUNCTIONS:
            reader.problem(f"curves.{name}", f"expected one of {list(CURVE_FUNCTIONS)}")
        curves[name] = reader.text(value, f"curves.{name}")

    events, ignored = _events(reader, reader.table(doc, "events", required=False))
    if reader.problems:
        raise ConfigFileError(reader.problems)
    return ContractMapping(
        path=path,
        source=source,
        policies=tuple(policies),
        deploy=arguments,
        enums=enums,
        state=state,
        actions=actions,
        ids=ids,
        reverts=reverts,
        curves=curves,
        events=events,
        ignored_logs=ignored,
        lines=reader.lines,
    )
