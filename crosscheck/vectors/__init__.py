"""Conformance vectors: pre-state, action, and the model's outcome, in a stable layout.

Requirement: CONFORMANCE-VECTORS.

``layout`` writes the directory (``target`` decides whether it may), ``checking`` reads
it and runs an implementation over it; the vectors come from sources (``constructed``,
``examples``, ``explored``) and from ``curves`` (the MakerDAO abaci).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from crosscheck.vectors.case import ListSource, SequenceCase, VectorCase, VectorSource
from crosscheck.vectors.checking import BadVectors, check_vectors, load_vectors
from crosscheck.vectors.constructed import ConstructedCases
from crosscheck.vectors.curves import curve_cases
from crosscheck.vectors.examples import ExampleCases
from crosscheck.vectors.explored import ExploredCases
from crosscheck.vectors.layout import generate
from crosscheck.vectors.systems import system_cases
from crosscheck.vectors.target import TargetRefused


def default_sources() -> list[VectorSource]:
    """The catalogue, the worked examples, exploration for outcomes neither reached, and
    the system vectors of each topology."""
    constructed = ListSource("constructed", tuple(ConstructedCases().cases()))
    examples = ListSource("examples", tuple(ExampleCases().cases()))
    known = [c for c in (*constructed.items, *examples.items) if isinstance(c, VectorCase)]
    systems = ListSource("systems", tuple(system_cases()))
    return [constructed, examples, ExploredCases(known), systems]


def generate_all(directory: Path, force: bool = False) -> Counter[str]:
    """Every vector this project ships, under ``directory`` (see ``layout.generate``)."""
    return generate(directory, default_sources(), curve_cases(), force)


__all__ = [
    "BadVectors",
    "SequenceCase",
    "TargetRefused",
    "VectorCase",
    "VectorSource",
    "check_vectors",
    "default_sources",
    "generate",
    "generate_all",
    "load_vectors",
]
