"""The adapter protocol over a contract on an in-process EVM, driven by a mapping file.

``reset`` deploys the contract for the configuration (or restores the snapshot taken
when it was) and writes the state through the mapping's loaders; ``apply`` sends the
action's call from the action's account and reads the outcome: the logs, decoded into
the model's events, or the revert reason, mapped to a refusal code; ``observe`` reads
the state through the mapping's getters.

Accounts: every account name of the model gets a fixed address (a hash of the name);
the adapter remembers each name it has seen, to read addresses back as names.

Two answers come from the adapter, not the contract, because no contract call can be
made for them (ENGINE-STEP step 1): an amount outside uint256 is ``AMOUNT_OUT_OF_RANGE``
(no ABI carries it), and an id outside uint256 is the mapping's ``[ids]`` refusal (no
map holds it). A kind the mapping ``refuse``s is answered with that code.

A revert whose reason the mapping does not name raises :class:`UnknownRevert`: the
tools report it as that case's failure or a divergence, with the reason, never as a
crash of the tool.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crosscheck import wire
from crosscheck.adapter import AdapterError, UnsupportedCase
from crosscheck.evm.abi import Abi, Function
from crosscheck.evm.chain import Chain, ChainError, Outcome, compile_contract
from crosscheck.evm.mapping import CURVE_FUNCTIONS, Argument, ContractMapping
from crosscheck.wire import Json, JsonObject
from model.actions import FIELD_KINDS
from simulation.file_text import Problem

UINT256_LIMIT = 2**256
MAX_ENTRIES = 100_000
"""Most ids ``observe`` reads from one map: a counter beyond it is a contract fault."""
DECIMAL = re.compile(r"-?[0-9]+")


class UnknownRevert(AdapterError):
    """The contract reverted with a reason the mapping does not name (or the EVM stopped)."""


class Accounts:
    """Account names <-> addresses: each name's address is a hash of the name."""

    def __init__(self) -> None:
        self._addresses: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def address(self, name: str) -> str:
        found = self._addresses.get(name)
        if found is None:
            from eth_utils.address import to_checksum_address
            from eth_utils.crypto import keccak

            digest = keccak(b"zle account\0" + name.encode("utf-8", "surrogatepass"))
            found = to_checksum_address(digest[-20:])
            self._addresses[name] = found
            self._names[found.lower()] = name
        return found

    def name(self, address: str) -> str:
        """The name behind ``address``; an address no name has is shown as it is."""
        return self._names.get(address.lower(), address)

    def names(self) -> list[str]:
        return sorted(self._addresses)


def _kind(obj: Mapping[str, Json]) -> tuple[str, Json]:
    ((kind, body),) = obj.items()
    return kind, body


def _width(function: Function) -> int:
    """How many values a getter returns (a struct counts its fields)."""
    if len(function.outputs) == 1 and function.outputs[0].startswith("("):
        return function.outputs[0].count(",") + 1
    return len(function.outputs)


def check_abi(mapping: ContractMapping, abi: Abi, loaders: bool = True) -> list[Problem]:
    """Every call the mapping names, checked against the contract's ABI (without
    ``loaders``: not the loaders, nor the curves, which a deployable contract lacks)."""
    problems: list[Problem] = []

    def need(field: str, name: str, inputs: int, outputs: int | None = None) -> None:
        function = abi.functions.get(name)
        where = f"{mapping.path}"
        if function is None:
            problems.append(Problem(where, mapping.line(field), field, f"no function {name!r}"))
        elif len(function.inputs) != inputs:
            message = (
                f"{name} takes {len(function.inputs)} argument(s); the mapping passes {inputs}"
            )
            problems.append(Problem(where, mapping.line(field), field, message))
        elif outputs is not None and _width(function) != outputs:
            message = f"{name} returns {_width(function)} value(s); the state needs {outputs}"
            problems.append(Problem(where, mapping.line(field), field, message))

    if len(mapping.deploy) != len(abi.constructor):
        problems.append(
            Problem(
                str(mapping.path),
                mapping.line("deploy.args"),
                "deploy.args",
                f"{len(mapping.deploy)} argument(s); the constructor takes {len(abi.constructor)}",
            )
        )
    for kind, call in mapping.actions.items():
        if not call.refuse:
            need(f"actions.{kind}.call", call.call, len(call.args))
    for name, accessor in mapping.state.items():
        cls = wire.RECORDS.get(name) or wire.MAPS.get(name)
        fields = len(wire.shape(cls)) if cls is not None else 1
        key = 1 if name in wire.MAPS else 0
        need(f"state.{name}.get", accessor.get, key, fields)
        if loaders:
            need(f"state.{name}.set", accessor.set, key + fields)
        if accessor.exists:
            need(f"state.{name}.exists", accessor.exists, 1, 1)
    for function, name in mapping.curves.items() if loaders else ():
        need(f"curves.{function}", name, len(CURVE_FUNCTIONS[function]), 1)
    return problems


class EvmImplementation:
    """A contract behind the adapter interface (``crosscheck.adapter.Implementation``)."""

    def __init__(
        self, mapping: ContractMapping, source: Path | None = None, loaders: bool = True
    ) -> None:
        """``source`` (default: the mapping's) without ``loaders``: a deployable contract,
        which can only start from the genesis its constructor builds (the gas benchmark)."""
        self.mapping = mapping
        self.loaders = loaders
        try:
            self.compiled = compile_contract(source or mapping.source)
        except ChainError as error:
            raise AdapterError(str(error)) from None
        problems = check_abi(mapping, self.compiled.abi, loaders)
        if problems:
            raise AdapterError(
                f"{mapping.path}: the mapping does not fit the contract's ABI", problems
            )
        self.abi = self.compiled.abi
        self.policies = mapping.policies
        self.accounts = Accounts()
        self.chain = Chain()
        self.gas_used = 0
        """Gas of the last call ``apply`` sent (0 for an answer the adapter gave itself)."""
        self.last_call = b""
        """Its calldata."""
        self.gas_refund = 0
        """Its refund, before the cap."""
        self._reset_done = False
        self.cold = False
        """Send each action as a transaction of its own, every slot cold (the gas benchmark;
        each reset then deploys anew)."""
        self._observed: JsonObject | None = None
        """The last ``observe``, while no call since has changed the state: a reverted call
        changes nothing, so after a refusal the state is read from here, not the EVM."""

    # --- values ---------------------------------------------------------------------

    def _to_abi(self, value: Json, kind: str, where: str) -> object:
        """A wire value (a decimal, an account name, a kind's name) as the ABI type ``kind``."""
        if kind == "address":
            if not isinstance(value, str):
                raise AdapterError(f"{where}: an address needs an account name, not {value!r}")
            return self.accounts.address(value)
        if kind == "bool":
            return bool(value)
        if kind.startswith(("uint", "int")):
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, int):
                return value
            if isinstance(value, str) and DECIMAL.fullmatch(value):
                return int(value)
            if isinstance(value, str):
                return self._enum_value(value, where)
        raise AdapterError(f"{where}: cannot pass {value!r} as {kind}")

    def _enum_value(self, name: str, where: str) -> int:
        for table in self.mapping.enums.values():
            if name in table:
                return table[name]
        raise AdapterError(f"{where}: {name!r} has no number in the mapping's [enums]")

    def _from_abi(self, value: Any, kind: str) -> Json:
        """A value the contract returned, as the wire form of a model field of ``kind``."""
        if kind == "int":
            return str(int(value))
        if kind == "str":
            return self.accounts.name(str(value))
        if kind == "bool":
            return bool(value)
        names = {v: k for k, v in self.mapping.enums.get(kind, {}).items()}
        if int(value) not in names:
            raise AdapterError(f"{kind} {value}: no name in the mapping's [enums.{kind}]")
        return names[int(value)]

    def _resolve(self, argument: Argument, roots: Mapping[str, Json]) -> Json:
        if argument.literal is not None:
            return argument.literal
        node: Json = roots
        for part in argument.path.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, dict) and len(node) == 1:  # through a tagged object
                inner = next(iter(node.values()))
                if isinstance(inner, dict) and part in inner:
                    node = inner[part]
                    continue
                node = None
                break
            else:
                node = None
                break
        if node is None:
            if argument.default is None:
                raise AdapterError(f"deploy: {argument.path} is not in this configuration")
            return argument.default
        if isinstance(node, dict) and len(node) == 1:
            return next(iter(node))  # a tagged object: its kind
        return node

    # --- calls ----------------------------------------------------------------------

    def _call(self, name: str, values: list[object], sender: Any = None) -> Outcome:
        function = self.abi.functions[name]
        args = [self._to_abi(v, t, name) for v, t in zip(values, function.inputs, strict=True)]
        self.last_call = function.call_data(args)
        return self.chain.call(self.last_call, sender, cold=self.cold)

    def _read(self, name: str, *key: object) -> Any:
        function = self.abi.functions[name]
        args = [self._to_abi(v, t, name) for v, t in zip(key, function.inputs, strict=True)]
        outcome = self.chain.call(function.call_data(args), view=True)
        if outcome.reverted:
            raise AdapterError(f"observe: {name} reverted: {outcome.reason or outcome.error!r}")
        return function.result(outcome.output)

    def _load(self, name: str, values: list[object]) -> None:
        outcome = self._call(name, values)
        if outcome.reverted:
            raise AdapterError(
                f"reset: the loader {name} reverted with {outcome.reason or outcome.error!r}"
            )

    # --- the adapter interface ------------------------------------------------------

    def reset(self, config: JsonObject, state: JsonObject) -> None:
        """Deploy for ``config`` (or restore the pristine deployment) and load ``state``."""
        policy, _ = _kind(config["policy"])
        if policy not in self.policies:
            raise UnsupportedCase(
                f"{self.mapping.source.name} implements {', '.join(self.policies)}, not {policy}"
            )
        roots = {"config": config, "state": state}
        args = tuple(
            self._to_abi(self._resolve(a, roots), t, f"deploy.args[{i}]")
            for i, (a, t) in enumerate(zip(self.mapping.deploy, self.abi.constructor, strict=True))
        )
        try:
            self.chain.fresh(self.compiled, args)
        except ChainError as error:
            raise AdapterError(f"reset: {error}") from None
        self._observed = None
        if not self.loaders:
            if self.observe() != state:
                raise AdapterError("reset: without loaders, only the constructor's genesis")
            return
        accessors = self.mapping.state
        for name in sorted(wire.OPTIONAL - accessors.keys()):
            if state.get(name):
                raise AdapterError(f"reset: the state holds {name}, which the mapping leaves out")
        for name in wire.SCALARS:
            self._load(accessors[name].set, [state[name]])
        for name, cls in wire.RECORDS.items():
            record = state[name]
            self._load(accessors[name].set, [record[f] for f, _ in wire.shape(cls)])
        for name, entry in wire.MAPS.items():
            if name not in accessors:
                continue
            for key, value in state[name].items():
                fields = [value] if entry is None else [value[f] for f, _ in wire.shape(entry)]
                self._load(accessors[name].set, [key, *fields])
        self._reset_done = True

    def apply(self, action: JsonObject) -> JsonObject:
        kind, body = _kind(action)
        call = self.mapping.actions.get(kind)
        if call is None:
            raise AdapterError(f"{kind}: the mapping has no [actions.{kind}]")
        fields = dict(FIELD_KINDS[wire.ACTIONS[kind]])
        self.gas_used = 0
        for name, field_kind in fields.items():
            if field_kind == "uint" and not 0 <= int(body[name]) < UINT256_LIMIT:
                return {"refused": {"error": "AMOUNT_OUT_OF_RANGE", "detail": name}}
        if call.refuse:
            return {"refused": {"error": call.refuse, "detail": f"mapping: {kind} is refused"}}
        for name, field_kind in fields.items():
            if field_kind == "id" and not 0 <= int(body[name]) < UINT256_LIMIT:
                code = self.mapping.ids.get(name)
                if code is None:
                    raise AdapterError(
                        f"{kind}: {name} {body[name]} fits no uint256; [ids] has no {name}"
                    )
                return {"refused": {"error": code, "detail": name}}
        sender = self.accounts.address(body[call.sender]) if call.sender else None
        outcome = self._call(call.call, [body[a] for a in call.args], sender)
        self.gas_used, self.gas_refund = outcome.gas, outcome.refund
        if outcome.reverted:
            return {"refused": {"error": self._refusal(kind, outcome), "detail": outcome.reason}}
        self._observed = None
        return {"accepted": {"events": self._events(kind, outcome)}}

    def _refusal(self, kind: str, outcome: Outcome) -> str:
        if outcome.error:
            raise UnknownRevert(f"{kind}: the EVM stopped: {outcome.error}")
        code = self.mapping.reverts.get(outcome.reason)
        if code is None:
            said = f"with {outcome.reason!r}" if outcome.reason else "without a reason"
            raise UnknownRevert(
                f"{kind}: the contract reverted {said}, which the mapping's [reverts] does not name"
            )
        return code

    def _events(self, kind: str, outcome: Outcome) -> list[JsonObject]:
        by_log = {event.log: name for name, event in self.mapping.events.items()}
        events: list[JsonObject] = []
        for address, topics, data in outcome.logs:
            if not self.chain.is_contract(address):
                continue
            log = self.abi.logs.get(topics[0].to_bytes(32, "big")) if topics else None
            if log is None:
                raise AdapterError(f"{kind}: the contract emitted a log its ABI does not declare")
            if log.name in self.mapping.ignored_logs:
                continue
            event = by_log.get(log.name, log.name)
            if event not in wire.EVENTS:
                raise AdapterError(
                    f"{kind}: the contract emitted {log.name}, no model event: map it in "
                    "[events] or list it in [events] ignore"
                )
            renamed = self.mapping.events[event].fields if event in self.mapping.events else {}
            values = log.decode(topics, data)
            body: JsonObject = {}
            for field, field_kind in wire.shape(wire.EVENTS[event]):
                argument = renamed.get(field, field)
                if argument not in values:
                    raise AdapterError(f"{kind}: log {log.name} has no argument {argument!r}")
                body[field] = self._from_abi(values[argument], field_kind)
            events.append({event: body})
        return events

    def observe(self) -> JsonObject:
        if self._observed is None:
            self._observed = self._read_state()
        return copy.deepcopy(self._observed)

    def _read_state(self) -> JsonObject:
        accessors = self.mapping.state
        state: JsonObject = {}
        for name in wire.SCALARS:
            state[name] = str(int(self._read(accessors[name].get)))
        for name, cls in wire.RECORDS.items():
            state[name] = self._record(cls, self._read(accessors[name].get))
        for name, counter in (("positions", "next_position"), ("auctions", "next_auction")):
            entry = wire.MAPS[name]
            assert entry is not None
            count = int(state[counter])
            if count > MAX_ENTRIES:
                raise AdapterError(f"observe: {counter} is {count}: more {name} than can be read")
            exists = accessors[name].exists
            state[name] = {
                str(i): self._record(entry, self._read(accessors[name].get, i))
                for i in range(count)
                if not exists or self._read(exists, i)
            }
        shares = {}
        for lp in self.accounts.names():
            held = int(self._read(accessors["lp_shares"].get, lp))
            if held:
                shares[lp] = str(held)
        state["lp_shares"] = shares
        return {name: state[name] for name in wire.STATE_FIELDS if name in state}

    def _record(self, cls: type[Any], values: Any) -> JsonObject:
        shape = wire.shape(cls)
        values = values if isinstance(values, tuple) else (values,)
        return {f: self._from_abi(v, k) for (f, k), v in zip(shape, values, strict=True)}

    def curve(self, function: str, inputs: dict[str, str]) -> JsonObject:
        """One abacus vector: the mapped function, called with the spec's inputs in order."""
        name = self.mapping.curves.get(function)
        if name is None:
            raise UnsupportedCase(f"the mapping's [curves] has no {function}")
        if not self._reset_done:
            self._reset_to_preset()
        values = [int(inputs[k]) for k in CURVE_FUNCTIONS[function]]
        fn = self.abi.functions[name]
        outcome = self.chain.call(fn.call_data(values), view=True)
        if outcome.reverted:
            return {"error": self._refusal(function, outcome)}
        return {"output": str(fn.result(outcome.output))}

    def _reset_to_preset(self) -> None:
        from model.numbers import RAY
        from model.params.presets import PRESETS
        from model.state import genesis

        config = PRESETS[self.policies[0]]
        self.reset(wire.encode_config(config), wire.encode_state(genesis(config, 2_000 * RAY)))
