"""The model stays pure and symbolic-safe (ENGINE-PURITY, ENGINE-SYMBOLIC-SUBSET)."""

from __future__ import annotations

import pytest

from tests.model_lint import lint_model, lint_source


@pytest.mark.covers("ENGINE-PURITY", "ENGINE-SYMBOLIC-SUBSET")
def test_model_has_no_findings() -> None:
    assert [str(f) for f in lint_model()] == []


@pytest.mark.covers("ENGINE-PURITY")
@pytest.mark.parametrize(
    "snippet",
    [
        "import time",
        "import random",
        "from os import environ",
        "import json",
        "def f():\n    global X\n",
        "print('x')",
        "open('f')",
    ],
)
def test_lint_flags_impurity(snippet: str) -> None:
    assert list(lint_source(snippet, "rules/example.py")) != []


@pytest.mark.covers("ENGINE-SYMBOLIC-SUBSET")
@pytest.mark.parametrize(
    "snippet",
    [
        "x = a // b",
        "x = a % 2",
        "x //= 3",
        "while n:\n    n -= 1\n",
        "x = 0.5",
        "x = float(a)",
        "x = hash(a)",
    ],
)
def test_lint_flags_symbolic_hazards(snippet: str) -> None:
    assert list(lint_source(snippet, "rules/example.py")) != []


@pytest.mark.covers("ENGINE-SYMBOLIC-SUBSET")
def test_division_is_allowed_only_in_numbers() -> None:
    assert list(lint_source("x = a // b", "numbers/fixed_point.py")) == []
    assert list(lint_source("x = a // b", "policies/gen3_zero_loss.py")) != []
