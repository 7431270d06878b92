"""Malformed scenario files and the CSV series they name: each class, then properties."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation.file_values import MAX_SECONDS
from simulation.files import MAX_TICKS, ConfigFileError, load_scenario
from simulation.runner import tick_count
from simulation.series import SeriesError, read_columns
from tests.malformed.strategies import TOML_VALUES, csv_documents, damaged, toml_value
from tests.simulation.conftest import SMALL
from zle.main import cli

CSV_PATH = """
[path]
source = "csv"
file = "prices.csv"
"""


def scenario(tmp_path: Path, text: str | bytes, name: str = "s.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def with_csv_path(rows: list[str]) -> str:
    """SMALL with its gap path replaced by a CSV path of ``rows``."""
    body = re.sub(r"\[path\].*?\n\n", lambda _: CSV_PATH.lstrip() + "\n", SMALL, flags=re.DOTALL)
    return body + "\n# rows: " + str(len(rows)) + "\n"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        load_scenario(path)
    found = [str(p) for p in caught.value.problems]
    assert found and all("\n" not in p and len(p) < 600 for p in found), found
    return found


def simulate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["simulate", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def edit(key: str, value: str) -> str:
    """SMALL with ``key = ...`` set to ``value`` (the first such line)."""
    line = f"{key} = {value}"
    return re.sub(rf"^{key} = .*$", lambda _: line, SMALL, count=1, flags=re.MULTILINE)


SCENARIO_CLASSES: dict[str, tuple[str | bytes, str]] = {
    "huge collateral": (edit("total_collateral", "1e308"), "within ±1e12"),
    "infinite fee": (edit("fee", "inf"), "finite"),
    "huge price": (edit("start_price", "1e300"), "start_price"),
    "count of 1e30": (edit("count", str(10**30)), "count"),
    "5,000-digit seed": (edit("seed", "9" * 5000), "toml"),
    "a path of 1e12 s": (edit("duration", "1_000_000_000_000"), "duration"),
    "a million-tick run": (
        edit("tick", "1").replace("duration = 14_400", "duration = 2_000_000"),
        "ticks",
    ),
    "utf-16": (SMALL.encode("utf-16"), "UTF-16"),
    "not utf-8": (SMALL.replace("small gap", "kleine Lücke").encode("latin-1"), "not UTF-8"),
    "unknown top level": ("colour = 1\n" + SMALL, "colour: unknown key"),
}


@pytest.mark.covers("PARAM-FILES", "SIM-SCENARIOS")
@pytest.mark.parametrize("name", SCENARIO_CLASSES, ids=list(SCENARIO_CLASSES))
def test_each_scenario_class_is_bad_input(tmp_path: Path, name: str) -> None:
    text, expected = SCENARIO_CLASSES[name]
    path = scenario(tmp_path, text)
    assert any(expected in p for p in problems_of(path))
    code, output = simulate(str(path))
    assert code == 2 and expected in output


@pytest.mark.covers("PARAM-FILES", "SIM-SCENARIOS")
def test_gbm_with_dt_beyond_its_duration_is_bad_input(tmp_path: Path) -> None:
    gbm = (
        '[path]\nsource = "gbm"\nstart_price = 2000\nduration = 600\ndt = 3600\n'
        "drift = 0\nvolatility = 0.8\njump_intensity = 0\njump_mean = 0\njump_stdev = 0\n\n"
    )
    text = re.sub(r"\[path\].*?\n\n", lambda _: gbm, SMALL, flags=re.DOTALL)
    assert any(
        "path.dt: = 3600: must be <= duration" in p for p in problems_of(scenario(tmp_path, text))
    )


def _csv_scenario(tmp_path: Path, rows: list[str], header: str = "timestamp_utc,price") -> Path:
    (tmp_path / "prices.csv").write_text("\n".join([header, *rows]) + "\n")
    return scenario(tmp_path, with_csv_path(rows))


CSV_CLASSES: dict[str, tuple[list[str], str]] = {
    "no zone": (["2020-03-12T00:00:00,200", "2020-03-12T01:00:00,150"], "with a zone"),
    "duplicate time": (["2020-03-12T00:00:00Z,200", "2020-03-12T00:00:00Z,150"], "repeats"),
    "out of order": (["2020-03-12T01:00:00Z,200", "2020-03-12T00:00:00Z,150"], "is before"),
    "infinity": (["2020-03-12T00:00:00Z,200", "2020-03-12T01:00:00Z,inf"], "finite"),
    "nan": (["2020-03-12T00:00:00Z,nan", "2020-03-12T01:00:00Z,100"], "finite"),
    "empty cell": (["2020-03-12T00:00:00Z,200", "2020-03-12T01:00:00Z,"], "not a number"),
    "year 9999": (["2020-03-12T00:00:00Z,200", "9999-12-31T00:00:00Z,150"], "at most 366"),
    "missing column": (["2020-03-12T00:00:00Z,200"], "no column price"),
}


@pytest.mark.covers("PARAM-FILES", "SIM-SCENARIOS")
@pytest.mark.parametrize("name", CSV_CLASSES, ids=list(CSV_CLASSES))
def test_each_csv_class_is_bad_input_with_its_line(tmp_path: Path, name: str) -> None:
    rows, expected = CSV_CLASSES[name]
    header = "timestamp_utc,value" if name == "missing column" else "timestamp_utc,price"
    path = _csv_scenario(tmp_path, rows, header)
    found = problems_of(path)
    assert any(expected in p for p in found), found
    if name not in ("year 9999", "missing column"):
        assert any(p.startswith(f"{tmp_path / 'prices.csv'}:") for p in found), found


@pytest.mark.covers("PARAM-FILES")
def test_every_bad_row_of_a_csv_is_listed(tmp_path: Path) -> None:
    csv = tmp_path / "prices.csv"
    csv.write_text(
        "timestamp_utc,price\n2020-03-12T00:00:00Z,1\n2020-03-12T00:00:00Z,2\n"
        "2020-03-12T02:00:00,3\n2020-03-12T03:00:00Z,x\n"
    )
    with pytest.raises(SeriesError) as caught:
        read_columns(csv, ["price"])
    assert [p.line for p in caught.value.problems] == [3, 4, 5]


@pytest.mark.covers("PARAM-FILES")
def test_a_negative_reserve_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "reserves.csv").write_text(
        "timestamp_utc,dai_reserve,weth_reserve\n2020-01-01T00:00:00Z,-5,10\n"
    )
    text = SMALL.replace("collateral_reserve = 5_000", 'reserves_file = "reserves.csv"')
    found = problems_of(scenario(tmp_path, text))
    assert any("dai_reserve" in p and "must be > 0" in p for p in found), found


@pytest.mark.covers("SIM-COMPARISON")
def test_output_paths_are_checked_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = scenario(tmp_path, SMALL)

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the run started")

    monkeypatch.setattr("zle.simulate.run_policy", must_not_run)
    (tmp_path / "a-file").write_text("")
    (tmp_path / "plots").mkdir()
    for option, target in [
        ("--json", "no/dir/x.json"),
        ("--json", str(tmp_path)),
        ("--json", str(tmp_path / "a-file" / "x.json")),
        ("--plot", str(tmp_path / "plots")),
        ("--plot", str(tmp_path / "no" / "x.png")),
        ("--plot", str(tmp_path / "figure")),
    ]:
        code, output = simulate(str(path), option, target)
        assert code == 2, (option, target, output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "plots", "s.toml"]
    assert list((tmp_path / "plots").iterdir()) == []


@pytest.mark.covers("PARAM-FILES", "SIM-SCENARIOS")
@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(
        [*re.findall(r"^(\w+) = ", SMALL, flags=re.MULTILINE), "colour", "jump_mean"]
    ),
    value=TOML_VALUES,
)
def test_any_value_anywhere_loads_a_finite_run_or_says_why(
    tmp_path: Path, key: str, value: object
) -> None:
    text = edit(key, toml_value(value)) if f"\n{key} = " in SMALL else SMALL + f"\n{key} = 1\n"
    path = scenario(tmp_path, text)
    try:
        loaded = load_scenario(path)
    except ConfigFileError as error:
        assert all(str(p).startswith(str(path)) for p in error.problems)
        return
    assert tick_count(loaded) <= MAX_TICKS and loaded.path.end <= MAX_SECONDS
    assert all(math.isfinite(x) and x > 0 for x in loaded.path.prices)


@pytest.mark.covers("PARAM-FILES")
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_scenario_loads_or_says_why(tmp_path: Path, data: st.DataObject) -> None:
    path = scenario(tmp_path, data.draw(damaged(SMALL)))
    try:
        load_scenario(path)
    except ConfigFileError as error:
        assert all(str(p).startswith(str(path)) for p in error.problems)


@pytest.mark.covers("PARAM-FILES")
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=csv_documents())
def test_any_csv_reads_in_order_or_lists_its_bad_rows(tmp_path: Path, text: str) -> None:
    path = tmp_path / "series.csv"
    path.write_text(text)
    try:
        times, (values,) = read_columns(path, ["price"])
    except SeriesError as error:
        assert error.problems and all(p.file == str(path) for p in error.problems)
        return
    assert all(b > a for a, b in itertools.pairwise(times))
    assert all(math.isfinite(v) for v in values)
