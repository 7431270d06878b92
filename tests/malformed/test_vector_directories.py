"""Any structural damage to a vector directory is bad vectors (exit 2), before anything runs:
never a failure blamed on the implementation, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.crosscheck.test_vector_files import small_set
from zle.main import cli

DAMAGE = ["delete", "garbage", "truncate", "directory", "deep", "latin1", "digits", "type"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pristine") / "v"
    small_set(directory)
    return directory


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "delete":
        path.unlink()
    elif how == "garbage":
        path.write_bytes(b"\x00\xff garbage")
    elif how == "truncate":
        cut = max(len(data) // 2, 1)
        while cut > 1 and data[cut - 1 : cut] in (b"\n", b"}"):
            cut -= 1
        path.write_bytes(data[:cut])
    elif how == "directory":
        path.unlink()
        path.mkdir()
    elif how == "deep":
        path.write_bytes(b"[" * 50_000 + b"]" * 50_000)
    elif how == "latin1":
        path.write_bytes(data.replace(b'"', b'"\xe9', 1))
    elif how == "digits":
        path.write_bytes(b"9" * 5_000)
    else:
        path.write_bytes(b'"a string where an object belongs"')


@pytest.mark.covers("CONFORMANCE-VECTORS")
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(min_value=0), how=st.sampled_from(DAMAGE))
def test_any_damaged_file_is_bad_vectors(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, index: int, how: str
) -> None:
    copy = tmp_path_factory.mktemp("damaged") / "v"
    shutil.copytree(pristine, copy)
    files = sorted(p for p in copy.rglob("*") if p.is_file())
    _damage(files[index % len(files)], how)
    result = CliRunner().invoke(
        cli, ["vectors", "check", str(copy), "--impl", "crosscheck.adapter:model"]
    )
    assert result.exit_code == 2, (files[index % len(files)], how, result.output)
    assert "Traceback" not in result.output and "passed" not in result.output
