"""The reactive-against-predictive table, on one small scenario."""

from __future__ import annotations

from predictive.evaluation import COLUMNS, compare, evaluated_scenarios, markdown, row
from simulation.scenario import Scenario
from simulation.shipped import scenario_names
from tests.predictive.conftest import constant


def test_the_table_has_its_columns_and_one_row_per_scenario(small: Scenario) -> None:
    compared = compare("small", constant(0.99), scenario=small)
    cells = row(compared)
    assert len(cells) == len(COLUMNS) and cells[0] == "`small`"
    lines = markdown([compared])
    assert lines[0] == "| " + " | ".join(COLUMNS) + " |"
    assert len(lines) == 3 and lines[2].count("|") == len(COLUMNS) + 1
    assert compared.log.pre_liquidations > 0 and compared.log.proposals_accepted > 0
    assert compared.false_positives <= len(compared.log.pre_liquidated)
    assert compared.reactive.total_loss >= 0 and compared.predictive.total_loss >= 0


def test_every_shipped_scenario_but_the_training_template_is_evaluated() -> None:
    evaluated = evaluated_scenarios()
    assert "synthetic-gbm-jumps" not in evaluated
    assert {"blackthursday2020-1h", "may2021-1min", "luna2022-1h"} <= set(evaluated)
    assert len(evaluated) == len(scenario_names()) - 1
