"""A contract's ABI, as the adapter needs it: calls, results, logs and revert reasons.

Any compiler's ABI JSON will do (Vyper's, Solidity's). Values are plain Python:
integers, booleans, addresses as ``0x`` strings, tuples for structs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from eth_abi.abi import decode, encode
from eth_utils.crypto import keccak

ERROR_STRING = bytes.fromhex("08c379a0")
"""Selector of ``Error(string)``: a revert with a reason."""
PANIC = bytes.fromhex("4e487b71")
"""Selector of ``Panic(uint256)``: Solidity's checked arithmetic, assert, bounds."""


def canonical_type(entry: Mapping[str, Any]) -> str:
    """The ABI type of one input or output as a signature spells it (structs as tuples)."""
    kind = str(entry["type"])
    if kind.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in entry.get("components", []))
        return f"({inner}){kind[len('tuple') :]}"
    return kind


@attrs.frozen
class Function:
    name: str
    inputs: tuple[str, ...]
    input_names: tuple[str, ...]
    outputs: tuple[str, ...]
    selector: bytes

    def call_data(self, values: Sequence[Any]) -> bytes:
        return self.selector + encode(list(self.inputs), list(values))

    def result(self, output: bytes) -> Any:
        """The decoded return value: one value, or a tuple for several (or a struct)."""
        values = decode(list(self.outputs), output)
        return values[0] if len(values) == 1 else tuple(values)


@attrs.frozen
class LogType:
    name: str
    topic: bytes
    arguments: tuple[tuple[str, str, bool], ...]
    """(name, type, indexed) of each argument, in declaration order."""

    def decode(self, topics: Sequence[int], data: bytes) -> dict[str, Any]:
        indexed = [(n, t) for n, t, i in self.arguments if i]
        plain = [(n, t) for n, t, i in self.arguments if not i]
        values: dict[str, Any] = {}
        for (name, kind), topic in zip(indexed, topics[1:], strict=True):
            values[name] = decode([kind], topic.to_bytes(32, "big"))[0]
        for (name, _), value in zip(plain, decode([t for _, t in plain], data), strict=True):
            values[name] = value
        return values


class AbiError(Exception):
    """An ABI the adapter cannot use (an overloaded function, a malformed entry)."""


class Abi:
    """The functions (by name), the constructor's inputs and the logs (by topic)."""

    def __init__(self, entries: Iterable[Mapping[str, Any]]) -> None:
        self.functions: dict[str, Function] = {}
        self.constructor: tuple[str, ...] = ()
        self.logs: dict[bytes, LogType] = {}
        for entry in entries:
            kind = entry.get("type", "function")
            inputs = tuple(canonical_type(i) for i in entry.get("inputs", []))
            if kind == "constructor":
                self.constructor = inputs
            elif kind == "function":
                name = str(entry["name"])
                if name in self.functions:
                    raise AbiError(f"function {name} is overloaded: name each action's call apart")
                signature = f"{name}({','.join(inputs)})"
                self.functions[name] = Function(
                    name=name,
                    inputs=inputs,
                    input_names=tuple(str(i.get("name", "")) for i in entry.get("inputs", [])),
                    outputs=tuple(canonical_type(o) for o in entry.get("outputs", [])),
                    selector=keccak(text=signature)[:4],
                )
            elif kind == "event" and not entry.get("anonymous", False):
                name = str(entry["name"])
                topic = keccak(text=f"{name}({','.join(inputs)})")
                arguments = tuple(
                    (str(i["name"]), canonical_type(i), bool(i.get("indexed", False)))
                    for i in entry.get("inputs", [])
                )
                self.logs[topic] = LogType(name=name, topic=topic, arguments=arguments)

    def log_named(self, name: str) -> LogType | None:
        return next((log for log in self.logs.values() if log.name == name), None)


def revert_reason(output: bytes) -> str:
    """What a revert said: its reason string, ``Panic(0x11)``, ``""`` for a bare revert,
    or the raw data in hex (a custom error)."""
    if output.startswith(ERROR_STRING):
        try:
            return str(decode(["string"], output[4:])[0])
        except Exception:  # malformed revert data: show it as it is
            return "0x" + output.hex()
    if output.startswith(PANIC) and len(output) == 36:
        return f"Panic(0x{int.from_bytes(output[4:], 'big'):02x})"
    return "0x" + output.hex() if output else ""
