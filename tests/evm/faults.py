"""A seeded one-line fault of the contract, and a copy of contracts/ that carries it.

The fault is one a port of dss could plausibly make: the kick adds the auction's debt to
the exposure instead of its tab, leaving the penalty out (EXPOSURE-ACCOUNTING). Every
tool must find it, at the step and the field: ``zle vectors check`` (the kick cases),
``zle replay`` of a trace recorded from the faulty contract, and ``zle fuzz``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


@attrs.frozen
class Fault:
    file: str
    line: str
    faulty: str
    what: str


SEEDED_FAULT = Fault(
    file="clipper.vy",
    line="    self.exposure = fp.add(self.exposure, tab)\n",
    faulty="    self.exposure = fp.add(self.exposure, debt)\n",
    what="the kick's exposure grows by the debt, not the tab",
)


def seeded_copy(fault: Fault, directory: Path) -> Path:
    """Copy contracts/ into ``directory`` with ``fault`` applied; the copied mapping's path."""
    for source in CONTRACTS.iterdir():
        if source.suffix in (".vy", ".toml"):
            shutil.copy(source, directory / source.name)
    target = directory / fault.file
    text = target.read_text(encoding="utf-8")
    assert text.count(fault.line) == 1, f"the fault's line is not once in {fault.file}"
    target.write_text(text.replace(fault.line, fault.faulty), encoding="utf-8")
    return directory / "gen2_auction_house.toml"
