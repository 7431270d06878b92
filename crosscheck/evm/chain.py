"""The contract on an in-process EVM: compiled once, deployed per configuration.

Compiling: a ``.vy`` source with the ``vyper`` package (its imports are looked up
beside it), or a ``.json`` artifact ``{"abi": [...], "bytecode": "0x..."}`` that any
compiler (solc, forge) can produce. The EVM is titanoboa's py-evm: every call runs
the real bytecode, and a snapshot taken right after deployment lets each reset start
from a pristine contract without deploying it again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import attrs

from crosscheck.evm.abi import Abi, AbiError, revert_reason


class ChainError(Exception):
    """The contract could not be compiled or deployed; the message says why."""


@attrs.frozen
class Compiled:
    abi: Abi
    bytecode: bytes


_COMPILED: dict[str, Compiled] = {}
"""Compiled contracts, by the digest of the source and of the sources it may import (a
copy elsewhere compiles to the same)."""


def _digest(source: Path) -> str:
    """A digest of the source and of every file beside it a Vyper import may name."""
    digest = hashlib.sha256(source.name.encode() + b"\0" + source.read_bytes())
    if source.suffix == ".vy":
        for path in sorted([*source.parent.glob("*.vy"), *source.parent.glob("*.vyi")]):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def compile_contract(source: Path) -> Compiled:
    """The ABI and deployment bytecode of ``source`` (cached while the sources are unchanged)."""
    try:
        key = _digest(source)
    except OSError as error:
        raise ChainError(f"{source}: cannot read: {error}") from None
    if key in _COMPILED:
        return _COMPILED[key]
    try:
        if source.suffix == ".json":
            artifact = json.loads(source.read_text(encoding="utf-8"))
            bytecode = artifact["bytecode"]
            if isinstance(bytecode, dict):  # forge writes {"object": "0x..."}
                bytecode = bytecode["object"]
            abi_entries, code = artifact["abi"], bytes.fromhex(str(bytecode).removeprefix("0x"))
        else:
            abi_entries, code = _vyper(source)
        compiled = Compiled(Abi(abi_entries), code)
    except (OSError, ValueError, KeyError, TypeError, AbiError) as error:
        raise ChainError(f"{source}: cannot use it: {type(error).__name__}: {error}") from None
    _COMPILED[key] = compiled
    return compiled


def _vyper(source: Path) -> tuple[list[Any], bytes]:
    from vyper.compiler import compile_code
    from vyper.compiler.input_bundle import FilesystemInputBundle
    from vyper.exceptions import VyperException

    try:
        output = compile_code(
            source.read_text(encoding="utf-8"),
            contract_path=source,
            input_bundle=FilesystemInputBundle([source.parent]),
            output_formats=["abi", "bytecode"],
        )
    except VyperException as error:
        first = str(error).strip().splitlines()
        raise ChainError(f"{source}: does not compile: {' '.join(first[:3])}") from None
    return list(output["abi"]), bytes.fromhex(str(output["bytecode"]).removeprefix("0x"))


@attrs.frozen
class Outcome:
    """One call's result: its return data or revert data, its logs, its gas."""

    reverted: bool
    output: bytes
    logs: tuple[tuple[bytes, tuple[int, ...], bytes], ...]
    gas: int
    refund: int = 0
    """Gas the transaction would get back for slots it cleared (before EIP-3529's cap)."""
    error: str = ""
    """Why the EVM stopped, when it was not a revert (out of gas, an invalid opcode)."""

    @property
    def reason(self) -> str:
        return revert_reason(self.output)


class Chain:
    """One in-process EVM holding one deployed contract at a time."""

    def __init__(self) -> None:
        import boa

        self._env = boa.Env()
        self.deployer: Any = self._env.eoa
        self.address: Any = None
        self._deployment: tuple[object, ...] | None = None
        self._pristine: Any = None

    def fresh(self, compiled: Compiled, constructor_args: tuple[object, ...]) -> None:
        """The contract as deployed with these arguments, nothing since: deployed now, or
        restored from the snapshot taken when it was."""
        key = (compiled, *constructor_args)
        if self._pristine is not None:
            self._env.evm.revert(self._pristine)
            self._pristine = None
        if key != self._deployment:
            self.address = self._deploy(compiled, constructor_args)
            self._deployment = key
        self._pristine = self._env.evm.snapshot()

    def _deploy(self, compiled: Compiled, args: tuple[object, ...]) -> Any:
        from eth_abi.abi import encode

        data = compiled.bytecode + encode(list(compiled.abi.constructor), list(args))
        address, computation = self._env.deploy(sender=self.deployer, bytecode=data)
        if computation.is_error:
            reason = revert_reason(bytes(computation.output or b""))
            raise ChainError(
                f"the constructor reverted: {reason or type(computation.error).__name__}"
            )
        return address

    def call(
        self, data: bytes, sender: Any = None, view: bool = False, cold: bool = False
    ) -> Outcome:
        """Run one call from ``sender`` (the deployer by default).

        ``cold``: as a transaction of its own, as the gas benchmark needs: every account and
        slot cold (EIP-2929), and the storage as it stands counted as the transaction's
        original values (EIP-2200's refunds); py-evm then forgets the snapshots, so the
        next ``fresh`` deploys anew. Otherwise the calls since the last reset count as one
        transaction (gas differs from chain; nothing else does)."""
        if cold:
            self._env.evm.vm.state.lock_changes()
            self._pristine = None
            self._deployment = None
        computation = self._env.execute_code(
            to_address=self.address,
            sender=sender if sender is not None else self.deployer,
            data=data,
            is_modifying=not view,
        )
        if computation.is_error:
            output = bytes(computation.output or b"")
            error = computation.error
            what = "" if type(error).__name__ == "Revert" else f"{type(error).__name__}: {error}"
            return Outcome(True, output, (), computation.get_gas_used(), error=what)
        logs = tuple(
            (address, tuple(topics), bytes(data))
            for address, topics, data in computation.get_log_entries()
        )
        return Outcome(
            False,
            bytes(computation.output),
            logs,
            computation.get_gas_used(),
            computation.get_gas_refund(),
        )

    def is_contract(self, address: bytes) -> bool:
        return bool(address == self.address.canonical_address)
