"""The specification files the tools read at run time, as package data.

``crosscheck/spec`` is the repository's ``spec/`` (a link in a checkout, copied into
the wheel), so an installed ``zle`` reads the same normative files through
``importlib.resources`` as a checkout does: the trace schema, the worked examples and
the requirement index.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def spec_file(name: str) -> Traversable:
    """``spec/<name>`` (``trace.schema.json``, ``examples.md``, ``requirements.md``)."""
    return files("crosscheck").joinpath("spec", name)


def requirement_order() -> dict[str, int]:
    """Each requirement ID of ``spec/requirements.md``, by its row: the spec's order."""
    order: dict[str, int] = {}
    for line in spec_file("requirements.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            requirement = line.split("|")[1].strip().strip("`")
            order.setdefault(requirement, len(order))
    return order
