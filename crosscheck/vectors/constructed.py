"""The hand-built vector catalogue: a named case for every guard's refusal and the
main branches of every action, under each policy.

Every pre-state is *reached* from genesis through accepted actions (never assembled
field by field), so each vector is a state the engine can be in. Each case declares
the outcome it is meant to reach; generation fails, naming the case, if the model no
longer reaches it, so the catalogue cannot silently drift from the model.
"""

from __future__ import annotations

from collections.abc import Iterator

from crosscheck.vectors.case import VectorCase
from crosscheck.vectors.catalogue import Catalogue
from crosscheck.vectors.common_cases import common_cases
from crosscheck.vectors.gen1_cases import gen1_cases
from crosscheck.vectors.gen2_cases import gen2_cases
from crosscheck.vectors.gen3_cases import gen3_cases
from model.params.presets import PRESETS

BUILDERS = {"gen1": gen1_cases, "gen2": gen2_cases, "gen3": gen3_cases}


class ConstructedCases:
    """The hand-built catalogue, as a vector source."""

    name = "constructed"

    def cases(self) -> Iterator[VectorCase]:
        from crosscheck.vectors.fidelity import FIDELITY_BUILDERS
        from crosscheck.vectors.predictive import PREDICTIVE_BUILDERS

        for policy, build in BUILDERS.items():
            cat = Catalogue(policy=policy, config=PRESETS[policy])
            common_cases(cat)
            build(cat)
            if policy in FIDELITY_BUILDERS:
                FIDELITY_BUILDERS[policy](cat)
            PREDICTIVE_BUILDERS[policy](cat)
            yield from cat.cases
