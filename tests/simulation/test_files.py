"""Scenario and parameter files: valid files load, malformed ones name every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.numbers import RAY, WAD, Unit
from model.params import Gen2DutchParams, Gen3ZeroLossParams
from model.params.presets import PRESETS
from simulation.files import ConfigFileError, load_config, load_scenario, to_fixed
from simulation.scenario import POLICY_NAMES

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.toml"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.toml"
    path.write_text(text)
    return path


def problems(path: Path, policy: str = "gen3") -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        load_config(path, policy)
    return [str(p) for p in caught.value.problems]


@pytest.mark.covers("PARAM-FILES", "SIM-SCENARIOS")
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_shipped_scenario_loads(path: Path) -> None:
    scenario = load_scenario(path)
    assert set(scenario.configs) == set(POLICY_NAMES)
    assert scenario.path.end > 0 and scenario.population.count > 0


@pytest.mark.covers("PARAM-FILES")
def test_a_parameter_file_overrides_presets_in_file_units(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[params]
dust = 500

[params.oracle]
max_step = "1.5%"

[params.gen3]
liquidation_ratio = 1.3
floor_ratio = "92%"
decay_duration = 900
incentive_cap = 250.5
""",
    )
    config = load_config(path, "gen3")
    policy = config.policy
    assert isinstance(policy, Gen3ZeroLossParams)
    assert config.dust == 500 * WAD
    assert config.oracle.max_step == 15 * RAY // 1000
    assert policy.liquidation_ratio == 13 * RAY // 10
    assert policy.floor_ratio == 92 * RAY // 100
    assert policy.decay_duration == 900
    assert policy.incentive_cap == 2505 * WAD // 10
    preset = PRESETS["gen3"].policy
    assert isinstance(preset, Gen3ZeroLossParams)
    assert policy.target_ratio == preset.target_ratio


@pytest.mark.covers("PARAM-FILES")
def test_a_gen2_curve_is_read_from_an_inline_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[params.gen2]\ncurve = { kind = "linear", tau = 3600 }\n')
    policy = load_config(path, "gen2").policy
    assert isinstance(policy, Gen2DutchParams)
    assert policy.curve.price(RAY, 1800) == RAY // 2


@pytest.mark.covers("PARAM-FILES")
def test_model_rules_are_reported_with_field_line_and_range(tmp_path: Path) -> None:
    path = write(tmp_path, "[params]\ndust = 1000\n\n[params.gen3]\nfloor_ratio = 1.2\n")
    (message,) = problems(path)
    assert message.startswith(f"{path}:5: params.gen3.floor_ratio")
    assert "= 1.2" in message and "must be in (0, 1)" in message


@pytest.mark.covers("PARAM-FILES")
def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[params]
dust = "lots"
colour = "blue"

[params.oracle]
max_step = true

[params.gen3]
decay_duration = 1.5
penalty = -0.1
""",
    )
    found = problems(path)
    assert any(':3: params.dust: cannot read "lots"' in p for p in found)
    assert any(":4: params.colour: unknown key" in p for p in found)
    assert any(":7: params.oracle.max_step: must be a number" in p for p in found)
    assert any(":10: params.gen3.decay_duration: must be an integer" in p for p in found)
    assert any(":11: params.gen3.penalty: = -0.1: must be >= 0" in p for p in found)
    assert len(found) == 5
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


@pytest.mark.covers("PARAM-FILES")
def test_cross_parameter_rules_name_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "[params.gen1]\nborrow_ratio = 1.1\n")
    (message,) = problems(path, "gen1")
    assert ":2: params.gen1.borrow_ratio: = 1.1: must be >= liquidation_ratio" in message


@pytest.mark.covers("PARAM-FILES")
def test_toml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[params]\ndust = = 3\n")
    (message,) = problems(path)
    assert message.startswith(f"{path}:2: toml")


@pytest.mark.covers("PARAM-FILES", "SIM-SCENARIOS")
def test_scenario_sections_are_checked_too(small_scenario: Path) -> None:
    text = small_scenario.read_text()
    text = text.replace("gap = 0.35", "gap = 1.5").replace("count = 25", "count = 0")
    text = text.replace('model = "constant_product"', 'model = "order_book"')
    small_scenario.write_text(text)
    with pytest.raises(ConfigFileError) as caught:
        load_scenario(small_scenario)
    found = [str(p) for p in caught.value.problems]
    assert any("path.gap: = 1.5: must be in (0, 1)" in p for p in found)
    assert any("population.count: = 0" in p for p in found)
    assert any("market.model: = 'order_book'" in p for p in found)


@pytest.mark.covers("PARAM-FILES")
@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1.45, "Ray", 145 * RAY // 100),
        ("145%", "Ray", 145 * RAY // 100),
        ("0.1%", "Ray", RAY // 1000),
        (1000, "Wad", 1000 * WAD),
        (1.13, "Wad", 113 * WAD // 100),
        (90, "Seconds", 90),
        (1.5, "Seconds", "must be an integer number of seconds"),
        (True, "Ray", "must be a number, not true or false"),
    ],
)
def test_file_units_convert_exactly(value: object, unit: str, expected: int | str) -> None:
    assert to_fixed(value, Unit(unit)) == expected


@pytest.mark.covers("PARAM-FILES")
def test_values_in_messages_keep_the_zeros_of_whole_numbers() -> None:
    from model.numbers import plain

    assert plain(2_000 * Unit.RAY.scale, Unit.RAY) == "2000"
    assert plain(22_000_000 * Unit.WAD.scale, Unit.WAD) == "22000000"
    assert plain(3 * Unit.WAD.scale // 2, Unit.WAD) == "1.5"
    assert plain(0, Unit.RAY) == "0"
