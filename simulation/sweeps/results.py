"""Where a sweep's results go: the journal of finished runs, and the table of every run.

The journal (``journal.jsonl`` in the sweep's folder) gets one JSON line per finished
run, flushed as it arrives: a sweep stopped at any moment keeps what it finished, and
a rerun skips every run whose key is in it. A torn last line (the process killed while
writing) is ignored. The table (``runs.parquet`` or ``runs.csv``) is written from the
journal at the end, one row per run of the sweep in its order (variant, seed, policy),
to a temporary name and renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from simulation.file_values import as_decimal
from simulation.sweeps.tasks import COUNT_COLUMNS, LOSS_COLUMNS

JOURNAL = "journal.jsonl"
INPUTS = ("key", "scenario", "variant", "seed", "policy")
STRINGS = {"key", "scenario", "policy", "status", "error", "first_breach", "worker", "code"}
INTEGERS = {"variant", "seed", *COUNT_COLUMNS}
BOOLEANS = {"inside_envelope", "loss_bound_exceeded"}
FLOATS = {c for c, _ in LOSS_COLUMNS} | {"hours_to_recover", "loss_bound", "seconds"}
FLOATS |= {"path_end_return", "path_drawdown"}
OUTCOME = (
    "status",
    *(c for c, _ in LOSS_COLUMNS),
    *COUNT_COLUMNS,
    "hours_to_recover",
    "inside_envelope",
    "first_breach",
    "loss_bound",
    "loss_bound_exceeded",
    "path_end_return",
    "path_drawdown",
    "seconds",
    "worker",
    "code",
    "error",
)


def columns(parameters: Sequence[str]) -> list[str]:
    """The table's columns: the run's inputs, its parameter values, then its outcome."""
    return [*INPUTS, *parameters, *OUTCOME]


def read_journal(path: Path) -> dict[str, dict[str, Any]]:
    """The rows of ``path`` by key (the last of a key wins); a line that is not a whole
    JSON object (a torn last line) is skipped."""
    rows: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return rows
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and isinstance(row.get("key"), str):
                rows[row["key"]] = row
    return rows


@contextmanager
def journal_writer(path: Path) -> Iterator[IO[str]]:
    """``path`` opened for appending rows; a torn last line is ended first."""
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as stream:
            stream.seek(-1, os.SEEK_END)
            torn = stream.read(1) != b"\n"
    else:
        torn = False
    with open(path, "a", encoding="utf-8") as stream:
        if torn:
            stream.write("\n")
        yield stream


def append(stream: IO[str], row: dict[str, Any]) -> None:
    stream.write(json.dumps(row, default=str) + "\n")
    stream.flush()


def parameter_value(value: Any) -> float | str | None:
    """A parameter as a table cell: a number (``"2%"`` is 0.02) or, for a table, JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | str):
        number = as_decimal(value)
        if not isinstance(number, str):
            return float(number)
        return str(value)
    return json.dumps(value, sort_keys=True)


def cells(row: dict[str, Any], names: Sequence[str], parameters: Sequence[str]) -> list[Any]:
    out = []
    for name in names:
        value = row.get(name)
        out.append(parameter_value(value) if name in parameters else value)
    return out


def _kind(name: str, values: list[Any]) -> str:
    if name in STRINGS:
        return "string"
    if name in INTEGERS:
        return "int"
    if name in BOOLEANS:
        return "bool"
    if name in FLOATS:
        return "float"
    present = [v for v in values if v is not None]
    return "float" if all(isinstance(v, float) for v in present) else "string"


@contextmanager
def replaced(target: Path, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it when the block succeeds (with
    the permissions a new file gets), removed when it fails."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp creates 0600
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    with replaced(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


def write_table(
    rows: Sequence[dict[str, Any]], parameters: Sequence[str], target: Path, form: str
) -> None:
    """Every row to ``target`` (``form`` parquet or csv), atomically."""
    names = columns(parameters)
    table = [cells(row, names, parameters) for row in rows]
    with replaced(target) as temporary:
        if form == "csv":
            with open(temporary, "w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow(names)
                writer.writerows(["" if c is None else c for c in line] for line in table)
        else:
            _write_parquet(names, table, temporary)


def _write_parquet(names: list[str], table: list[list[Any]], target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "float": pa.float64()}
    arrays = []
    for i, name in enumerate(names):
        values = [line[i] for line in table]
        kind = _kind(name, values)
        if kind == "string":
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=types[kind]))
    pq.write_table(pa.Table.from_arrays(arrays, names=names), target, compression="zstd")


def read_table(target: Path) -> list[dict[str, Any]]:
    """The rows of a table this module wrote (Parquet or CSV, by suffix), for tests and
    for a look from Python; CSV cells are strings."""
    if target.suffix == ".csv":
        with open(target, encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(target).to_pylist()
    return rows
