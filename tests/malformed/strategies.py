"""Hypothesis strategies for malformed input: TOML values and documents, CSV rows, raw
byte damage, number-like strings, output paths.

They lean towards the edges that broke the tools before: huge and non-finite numbers,
digits of other scripts and ``_`` inside strings, times without a zone or out of order,
UTF-16 and invalid UTF-8, deep nesting, misspelt and unknown keys.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# --- numbers as a user might write them -------------------------------------------------

EDGE_NUMBERS: list[object] = [
    0,
    -1,
    1,
    10**30,
    2**256,
    -(2**64),
    0.0,
    -0.0,
    1e308,
    1e-320,
    float("inf"),
    float("-inf"),
    float("nan"),
]
NUMBER_TEXT = st.sampled_from(
    [
        "1e999000",
        "1e-999000",
        "٢",
        "1_0",
        "１",
        "0x10",
        "1.2.3",
        "",
        " ",
        "%",
        "-5%",
        "101%",
        "1e3%",
        "inf",
        "nan",
        "Infinity",
        "+.5",
        "5.",
        "9" * 100,
        "1e80",
        "²",
    ]
)
TOML_SCALARS: st.SearchStrategy[object] = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    NUMBER_TEXT,
    st.text(max_size=12),
    st.booleans(),
)
TOML_VALUES: st.SearchStrategy[object] = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["kind", "tau", "step", "cut", "x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


def toml_value(value: object) -> str:
    """``value`` written as TOML (floats and strings in their TOML spelling)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is a JSON string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"


# --- parameter files ---------------------------------------------------------------------

GEN3_KEYS = ["liquidation_ratio", "floor_ratio", "penalty", "decay_duration", "keeper_tip"]
GEN1_KEYS = ["liquidation_ratio", "bonus", "close_factor", "borrow_ratio"]
GEN2_KEYS = ["mat", "chop", "buf", "tail", "cusp", "curve", "hole"]
TABLES = {
    "params": ["dust", "colour"],
    "params.oracle": ["max_step", "volatility_alpha", "max_stpe"],
    "params.gen1": GEN1_KEYS,
    "params.gen2": GEN2_KEYS,
    "params.gen3": GEN3_KEYS,
    "param.gen3": GEN3_KEYS,
    "": ["liquidation_ratio", "name", "dust"],
}


@st.composite
def parameter_documents(draw: st.DrawFn) -> str:
    """A TOML parameter file: some of the tables, keys known and misspelt, any values."""
    lines: list[str] = []
    tables = draw(st.lists(st.sampled_from(sorted(TABLES)), unique=True, max_size=4))
    for table in sorted(tables):  # the top level ("") first
        if table:
            lines.append(f"[{table}]")
        keys = draw(st.lists(st.sampled_from(TABLES[table]), unique=True, max_size=3))
        for key in keys:
            lines.append(f"{key} = {toml_value(draw(TOML_VALUES))}")
        lines.append("")
    return "\n".join(lines)


# --- damage to any text file -------------------------------------------------------------


@st.composite
def damaged(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as bytes with one kind of damage a file can suffer."""
    data = text.encode()
    kind = draw(
        st.sampled_from(
            ["utf16", "latin1", "bytes", "truncate", "nul", "drop_line", "dup_line", "deep"]
        )
    )
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "latin1":
        return text.replace("a", "é").encode("latin-1")
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "truncate":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    if kind == "nul":
        at = draw(st.integers(0, len(data)))
        return data[:at] + b"\0" + data[at:]
    lines = text.splitlines(keepends=True)
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "drop_line" and lines:
        return "".join(lines[:index] + lines[index + 1 :]).encode()
    if kind == "dup_line" and lines:
        return "".join(lines[: index + 1] + lines[index:]).encode()
    depth = draw(st.integers(100, 3_000))
    return data + f"\nnested = {'[' * depth}{']' * depth}\n".encode()


# --- CSV series -----------------------------------------------------------------------------

GOOD_TIMES = [f"2020-03-12T{h:02d}:00:00Z" for h in range(24)]
BAD_TIMES = st.sampled_from(
    [
        "2020-03-12T00:00:00",
        "2020-03-12 00:00",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "2020-13-40T00:00:00Z",
        "yesterday",
        "",
        "2020-03-12T00:00:00+99:00",
        "1584000000",
    ]
)
CELL_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "inf", "nan", "-1", "0", "1e400", "1,5", "٢", "12"]),
    st.integers(-(10**15), 10**15).map(str),
)


@st.composite
def csv_documents(draw: st.DrawFn, column: str = "price") -> str:
    """``timestamp_utc,<column>`` rows, mostly in order, some of them wrong."""
    header = draw(st.sampled_from([f"timestamp_utc,{column}", "timestamp_utc,value", ""]))
    count = draw(st.integers(0, 8))
    start = draw(st.integers(0, 10))
    rows = []
    for i in range(count):
        time = (
            draw(BAD_TIMES)
            if draw(st.integers(0, 5)) == 0
            else GOOD_TIMES[min(start + i - draw(st.integers(0, 1)), 23)]
        )
        value = draw(CELL_VALUES) if draw(st.integers(0, 4)) == 0 else str(100 + i)
        rows.append(f"{time},{value}")
    return "\n".join([header, *rows]) + "\n"


def any_json(depth: int = 3) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=depth * 3,
    )
