"""Malformed parameter files: each class found so far, and a property over generated ones."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.params import validate
from simulation.files import ConfigFileError, load_config
from tests.malformed.strategies import damaged, parameter_documents
from zle.main import cli

SAFE = (Path(__file__).resolve().parents[2] / "scenarios" / "params" / "gen3-safe.toml").read_text()


def problems_of(path: Path, policy: str = "gen3") -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        load_config(path, policy)
    found = [str(p) for p in caught.value.problems]
    assert found and all(p.startswith(str(path)) and "\n" not in p for p in found)
    return found


def check_exit_2(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["params", "check", str(path), *extra])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "valid gen" not in result.output
    return result.output


def write(tmp_path: Path, content: str | bytes, name: str = "p.toml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


GEN3 = "[params]\ndust = 1_000\n\n[params.gen3]\n"

CLASSES: dict[str, tuple[str | bytes, str]] = {
    "utf-16": (SAFE.encode("utf-16"), "UTF-16"),
    "latin-1": (SAFE.replace("Gen 3", "Gén 3").encode("latin-1"), "is not UTF-8"),
    "nul byte": (GEN3.encode() + b"x = \0\n", "NUL"),
    "deep nesting": (GEN3 + "x = " + "[" * 5_000 + "]" * 5_000 + "\n", "toml"),
    "5,000 digits": (GEN3 + "keeper_tip = " + "9" * 5_000 + "\n", "toml"),
    "huge string number": (GEN3 + 'keeper_tip = "1e999000"\n', "too large"),
    "dust 1e999000": ('[params]\ndust = "1e999000"\n[params.gen3]\n', "params.dust"),
    "dust 0": ("[params]\ndust = 0\n[params.gen3]\n", "must be at least 1"),
    "empty file": ("", "no [params] table"),
    "no [params]": ('name = "x"\n', "no [params] table"),
    "misspelt table": ('[param.gen3]\nliquidation_ratio = "101%"\n', "param: unknown key"),
    "top-level junk": ('liquidation_ratio = "banana"\n' + GEN3, "liquidation_ratio: unknown key"),
    "duplicate key": (GEN3 + "penalty = 0.05\npenalty = 0.06\n", "toml"),
    "infinity": (GEN3 + "penalty = inf\n", "finite"),
    "nan": (GEN3 + "penalty = nan\n", "finite"),
    "arabic digit": (GEN3 + 'penalty = "٢%"\n', "cannot read"),
    "underscore in a string": (GEN3 + 'keeper_tip = "1_0"\n', "cannot read"),
    "negative": (GEN3 + "penalty = -0.05\n", "must be >= 0"),
    "a table as a number": (GEN3 + "penalty = { a = 1 }\n", "must be a number"),
}


@pytest.mark.covers("PARAM-FILES")
@pytest.mark.parametrize("name", CLASSES, ids=list(CLASSES))
def test_each_class_is_one_clear_line_and_exit_2(tmp_path: Path, name: str) -> None:
    content, expected = CLASSES[name]
    path = write(tmp_path, content)
    started = time.perf_counter()
    found = problems_of(path)
    assert time.perf_counter() - started < 5
    assert any(expected in p for p in found), found
    # one line each, whatever the length of the temporary folder's name
    assert all(len(p.removeprefix(str(path))) < 400 for p in found), found
    output = check_exit_2(path)
    assert expected in output


@pytest.mark.covers("PARAM-FILES")
def test_dev_null_and_a_directory_are_bad_input(tmp_path: Path) -> None:
    assert "no [params] table" in check_exit_2(Path("/dev/null"))
    result = CliRunner().invoke(cli, ["params", "check", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.covers("PARAM-FILES")
def test_a_policy_the_file_does_not_set_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, SAFE)
    output = check_exit_2(path, "--policy", "gen1")
    assert "no [params.gen1] table" in output and "it has gen3" in output


@pytest.mark.covers("PARAM-FILES")
def test_all_problems_at_once_sorted_by_line_in_the_files_units(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[params]\ndust = "lots"\n\n[params.oracle]\nmax_step = "150%"\n\n'
        '[params.gen3]\nfloor_ratio = "101%"\npenalty = 1.5\nkeeper_tip = -1\n',
    )
    found = problems_of(path)
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines) and lines == [2, 5, 8, 9, 10], found
    assert 'floor_ratio: = "101%": must be in (0 %, 100 %)' in found[2]
    assert "penalty: = 1.5: must be < 1" in found[3]
    assert 'max_step: = "150%": must be in (0 %, 100 %)' in found[1]
    assert not any("RAY" in p or "000000000" in p for p in found)


@pytest.mark.covers("PARAM-FILES")
@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=parameter_documents(), policy=st.sampled_from(["gen1", "gen2", "gen3"]))
def test_any_parameter_file_loads_valid_or_says_why(tmp_path: Path, text: str, policy: str) -> None:
    path = write(tmp_path, text)
    try:
        config = load_config(path, policy)
    except ConfigFileError as error:
        found = [str(p) for p in error.problems]
        assert found and all(p.startswith(str(path)) and "\n" not in p for p in found)
        assert all(len(p) < 600 for p in found)
        lines = [p.line for p in error.problems if p.line is not None]
        assert lines == sorted(lines)
        return
    assert validate(config) == ()
    assert f"[params.{policy}]" in text


@pytest.mark.covers("PARAM-FILES")
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_parameter_file_loads_valid_or_says_why(
    tmp_path: Path, data: st.DataObject
) -> None:
    path = write(tmp_path, data.draw(damaged(SAFE)))
    try:
        config = load_config(path, "gen3")
    except ConfigFileError as error:
        assert all(str(p).startswith(str(path)) for p in error.problems)
        return
    assert validate(config) == ()
