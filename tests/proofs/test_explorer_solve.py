"""The explorer's query sequence (default solver, nlsat, default solver) answers over the
integers, checks every model it accepts, and is reproducible: the same query uses the
same resource units every time."""

from __future__ import annotations

import subprocess
import sys

import z3

from proofs.symbolic.explorer import Answer, Explorer, _nlsat_solver, _satisfies


def _query(explorer: Explorer, *constraints: object) -> object:
    terms = [c.term if hasattr(c, "term") else c for c in constraints]
    return explorer.solve(terms[:-1], terms[-1], rlimit=2_000_000)


def test_no_real_solution_passes_for_an_integer_one() -> None:
    explorer = Explorer()
    x = explorer.integer("x", 0, 100)
    assert _query(explorer, x * x == 2) is Answer.UNSAT
    assert _query(explorer, 2 * x == 1) is Answer.UNSAT


def test_a_model_is_a_satisfying_integer_assignment() -> None:
    explorer = Explorer()
    x, y = explorer.integer("x", 0, 10**30), explorer.integer("y", 0, 10**30)
    found = _query(explorer, x > 2, x * y * y == 12 * 10**20)
    assert isinstance(found, dict)
    assert found["x"] > 2 and found["x"] * found["y"] ** 2 == 12 * 10**20


def test_nlsat_decides_integer_nonlinear_queries() -> None:
    x, y = z3.Ints("x y")
    solver = _nlsat_solver()
    solver.add(x * x == 2)
    assert solver.check() == z3.unsat
    solver = _nlsat_solver()
    constraints = [x * y == 6, x > 2, y > 1]
    solver.add(*constraints)
    assert solver.check() == z3.sat
    assert _satisfies(solver.model(), constraints)


def test_a_model_that_breaks_a_constraint_is_rejected() -> None:
    x = z3.Int("x")
    solver = z3.Solver()
    solver.add(x == 3)
    assert solver.check() == z3.sat
    assert _satisfies(solver.model(), [x == 3])
    assert not _satisfies(solver.model(), [x == 4])


QUERY = """
from proofs.symbolic.explorer import Explorer
explorer = Explorer()
x, y = explorer.integer("x", 1, 2**128).term, explorer.integer("y", 1, 2**128).term
explorer.solve([(x * 10**27 + y - 1) / y >= x], x * y > 10**40, rlimit=2_000_000)
print(explorer.rlimit_used)
"""


def test_the_same_query_costs_the_same_resource_units() -> None:
    """In a fresh process, as every ``zle prove`` worker starts: Z3's resource count for
    one query is the same run after run. (Within one long-lived process it may drift by a
    few units with what Z3 solved before, far inside every budget.)"""
    used = [
        int(
            subprocess.run(
                [sys.executable, "-c", QUERY], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(2)
    ]
    assert used[0] == used[1] > 0
