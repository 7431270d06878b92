"""The generated half of the catalogue: a mutant for every site :mod:`proofs.mutants.sites`
finds in ``model/``, with the killers :mod:`proofs.mutants.killers` declares for its
function (or the reason it is equivalent).

``CATALOGUE`` is the whole catalogue ``zle mutants`` runs: the hand-written semantic
mutants of :mod:`proofs.mutants.catalogue` first, then these.

Every kind the scan finds is in the catalogue (``GENERATED_KINDS``): a flip of every
directed-rounding call in ``model/``, of every comparison's strictness in the code ``step``
runs, and the loss of each argument of every ``min``/``max``. A mutant no input tells
from the model carries its reason (``killers.EQUIVALENT``) instead of killers, and the
obligations of its function are run against it only to check that none refutes it.
"""

from __future__ import annotations

from pathlib import Path

from proofs.mutants.catalogue import MUTANTS, ROOT, Mutant
from proofs.mutants.killers import EQUIVALENT, FUNCTIONS, SITES
from proofs.mutants.sites import Site, scan

GENERATED_KINDS = ("rounding", "comparison", "extremum")
"""The kinds of site the catalogue holds a mutant for."""


def _mutant(site: Site) -> Mutant:
    entry = FUNCTIONS.get(site.function)
    reason = EQUIVALENT.get(site.id, "")
    declared = entry.killers if entry is not None else ()
    killers = () if reason else SITES.get(site.id, declared)
    gap = ""
    if not killers and not reason:
        gap = f"no killers declared for {site.function} in proofs/mutants/killers.py"
    return Mutant(
        id=site.id,
        description=site.description,
        file=site.file,
        original=site.original,
        replacement=site.replacement,
        requirement_ids=entry.requirement_ids if entry is not None else (),
        killers=killers,
        exercised_by=declared if reason else (),
        equivalent=reason,
        gap=gap,
        line=site.line,
        column=site.column,
        appendix=site.appendix,
        kind=site.kind,
    )


def generated(root: Path = ROOT) -> tuple[Mutant, ...]:
    """A mutant per site of ``root/model`` of the ``GENERATED_KINDS``, in scan order."""
    return tuple(_mutant(site) for site in scan(root, GENERATED_KINDS))


GENERATED: tuple[Mutant, ...] = generated()
CATALOGUE: tuple[Mutant, ...] = (*MUTANTS, *GENERATED)
CATALOGUE_BY_ID: dict[str, Mutant] = {m.id: m for m in CATALOGUE}
