"""The path explorer: runs a function on symbolic values once per feasible path.

Each run replays a prefix of decisions, then, at every new branch point, asks the
solver which of the two ways are feasible under the path condition so far; it takes
one and remembers the other for a later run. Runs continue, depth first in a fixed
order, until no remembered alternative is left: the paths found are then all the
feasible paths of the function under the assumptions, each with its path condition.

Branch queries may be cut short: when Z3 cannot decide within the branch budget
whether a way is feasible, the explorer takes it anyway and marks the path
*unconfirmed*. That only ever adds paths (which the claims must then survive), never
hides one, so it cannot make a false claim pass; a claim that fails on an unconfirmed
path counts only once the whole path condition is shown satisfiable. Claim queries
(``refute``) have their own, larger budget, and ``unknown`` there is a failure.

Two classic optimisations of symbolic execution keep the solver's work small, and
neither changes an answer. *Witness reuse*: the explorer keeps an assignment that
satisfies the path condition; a branch that the assignment already satisfies is
feasible without asking the solver. *Slicing*: a query carries only the constraints
that share variables, transitively, with the question; the others are satisfiable on
their own (the path condition is) and over other variables, so leaving them out
changes no answer.

Z3's resource counter (``rlimit``) is deterministic, unlike wall time, so the runner
records it per obligation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import z3

from model.numbers.fixed_point import UINT256_MAX
from proofs.symbolic.intervals import Intervals
from proofs.symbolic.values import SymBool, SymInt, term_of

BRANCH_RLIMIT = 2_000_000
"""Z3 resource units a branch-feasibility query may use before the branch is taken
unconfirmed."""
CLAIM_RLIMIT = 60_000_000
"""Z3 resource units a claim (or witness) query may use before the obligation fails."""
DEFAULT_MAX_PATHS = 5_000
NLSAT_RLIMIT = 400_000
"""Z3 resource units of the second attempt, by Z3's nonlinear arithmetic procedure (see
:meth:`Explorer.solve`)."""
NLSAT_TIMEOUT_MS = 10_000
"""A wall-clock bound on the nlsat attempt as well: on some queries Z3's nlsat spends minutes
between two resource-unit checks (a test worker sat 20 CPU minutes inside one attempt of
400,000 units, after which the query took 24 s in a fresh process), so its ``rlimit`` alone
does not bound it. A timed-out attempt is UNKNOWN and the query goes on to the default
solver under its resource units, which decide it on every machine; the answer is never
taken from a timed-out attempt."""
QUICK_RLIMIT = 100_000
"""Z3 resource units of the first attempt at a query, by Z3's default solver."""


class PathAbandoned(Exception):
    """An ``assume`` turned out false on this path: the path is outside the obligation."""


class SolverGaveUp(Exception):
    """Z3 answered ``unknown`` to a query whose answer matters (a claim or a witness)."""


class PathExplosion(Exception):
    """More paths than the obligation allows: the code under proof needs tighter bounds."""


class Answer(enum.Enum):
    UNSAT = "unsat"
    UNKNOWN = "unknown"


Assignment = dict[str, int]


@attrs.define
class Path:
    """One path: its decisions, its path condition and how the run ended.

    ``confirmed`` paths are known feasible (a witness satisfies their condition);
    unconfirmed ones took a branch the solver could not decide within its budget.
    """

    decisions: list[bool]
    condition: list[Any]
    confirmed: bool
    result: object = None
    error: BaseException | None = None


@attrs.define
class Exploration:
    paths: list[Path]
    abandoned: int
    """Runs cut short by an assumption that was false on their path."""
    queries: int
    rlimit: int


def conjuncts(term: Any) -> Iterable[Any]:
    """The top-level conjuncts of ``term``, so that slicing sees each on its own."""
    if z3.is_and(term):
        for child in term.children():
            yield from conjuncts(child)
    else:
        yield term


class Explorer:
    """Owns the symbolic variables and the enumeration of paths."""

    def __init__(
        self,
        branch_rlimit: int = BRANCH_RLIMIT,
        claim_rlimit: int = CLAIM_RLIMIT,
        max_paths: int = DEFAULT_MAX_PATHS,
    ) -> None:
        self.branch_rlimit = branch_rlimit
        self.claim_rlimit = claim_rlimit
        self.max_paths = max_paths
        self.variables: dict[str, SymInt] = {}
        self.bounds: dict[str, list[Any]] = {}
        self.queries = 0
        self.rlimit_used = 0
        self._prefix: list[bool] = []
        self._decisions: list[bool] = []
        self._condition: list[Any] = []
        self._known: dict[int, bool] = {}
        self._pending: list[tuple[list[bool], Assignment | None]] = []
        self._witness: Assignment | None = None
        self._syntactic = False
        self._vars_memo: dict[int, tuple[Any, frozenset[str]]] = {}
        self._alive: list[Any] = []
        """Terms whose ids are cache keys: kept alive, as Z3 reuses the ids of freed terms."""
        self._simplified: dict[int, tuple[Any, Any]] = {}
        """``condition id -> (condition, simplified)``: Z3 shares equal terms, so a branch
        condition met again (another obligation's predicate on the same path, the next
        path) is simplified once; the pair keeps the condition, and its id, alive."""
        self._intervals = Intervals(self.bounds_of)

    # --- variables and assumptions ----------------------------------------------------

    def integer(self, name: str, low: int | None = 0, high: int | None = UINT256_MAX) -> SymInt:
        """The symbolic integer ``name`` (the same one on every run), within ``[low, high]``."""
        found = self.variables.get(name)
        if found is not None:
            return found
        var = SymInt(self, z3.Int(name))
        self.variables[name] = var
        bounds = []
        if low is not None:
            bounds.append(var.term >= low)
        if high is not None:
            bounds.append(var.term <= high)
        self.bounds[name] = bounds
        if self._witness is not None:
            self._witness[name] = low if low is not None else 0
        return var

    def bounds_of(self, name: str) -> tuple[int | None, int | None]:
        """The declared range of the variable ``name``."""
        low: int | None = None
        high: int | None = None
        for bound in self.bounds.get(name, ()):
            if bound.decl().kind() == z3.Z3_OP_GE:
                low = bound.arg(1).as_long()
            else:
                high = bound.arg(1).as_long()
        return low, high

    def boolean(self, name: str) -> SymBool:
        """The symbolic truth value ``name``: an integer variable in {0, 1}, so that
        witnesses are plain integers."""
        return SymBool(self, self.integer(name, 0, 1).term == 1)

    def assume(self, condition: object) -> None:
        """Restrict the obligation to paths where ``condition`` holds; abandon this one if
        it cannot."""
        if isinstance(condition, bool):
            if not condition:
                raise PathAbandoned
            return
        term = z3.simplify(term_of(condition))
        if z3.is_false(term) or not self._feasible(term):
            raise PathAbandoned
        self._condition.extend(conjuncts(term))

    def assume_that(self, predicate: Callable[[], object]) -> None:
        """``assume`` the formula of ``predicate`` (see :meth:`formula`)."""
        self.assume(SymBool(self, self.formula(predicate)))

    # --- solver queries ---------------------------------------------------------------

    def variables_of(self, term: Any) -> frozenset[str]:
        """Names of the free variables of ``term`` (memoised on Z3's shared term ids)."""
        key = term.get_id()
        found = self._vars_memo.get(key)
        if found is not None:
            return found[1]
        if z3.is_const(term):
            kind = term.decl().kind()
            names = frozenset({str(term)}) if kind == z3.Z3_OP_UNINTERPRETED else frozenset()
        else:
            names = frozenset().union(*(self.variables_of(c) for c in term.children()))
        # the term is kept alive with its entry: Z3 reuses the id of a freed term
        self._vars_memo[key] = (term, names)
        return names

    def slice(self, condition: list[Any], extra: Any) -> tuple[list[Any], set[str]]:
        """The constraints of ``condition`` connected to ``extra`` through shared variables,
        with ``extra`` and the range bounds of every variable involved; and those variables."""
        wanted = set(self.variables_of(extra))
        chosen: list[Any] = [extra]
        rest = []
        for term in condition:
            names = self.variables_of(term)
            if names:
                rest.append((term, names))
            else:  # a closed constraint (``False``, say) belongs to every slice
                chosen.append(term)
        grew = True
        while grew:
            grew = False
            left = []
            for term, names in rest:
                if names & wanted:
                    chosen.append(term)
                    wanted |= names
                    grew = True
                else:
                    left.append((term, names))
            rest = left
        for name in sorted(wanted):
            chosen.extend(self.bounds.get(name, ()))
        return chosen, wanted

    def solve(self, condition: list[Any], extra: Any, rlimit: int) -> Assignment | Answer:
        """Values for the variables of the slice of ``condition`` relevant to ``extra`` that
        satisfy it and ``extra``; or UNSAT; or UNKNOWN when ``rlimit`` ran out.

        Up to three attempts, each on a fresh, non-incremental solver (Z3 then
        preprocesses the query with its full tactic pipeline; on this engine's nonlinear
        path conditions that was up to a hundred times faster than push and pop):

        1. Z3's default solver for at most :data:`QUICK_RLIMIT`: most queries are easy;
        2. Z3's nonlinear arithmetic procedure (``nlsat``) for at most
           :data:`NLSAT_RLIMIT`: it decides in milliseconds many queries the default
           solver needs seconds for (the products and quotients of the gen 3 kick), and
           fails fast on others (the dss curves' powers of RAY, which the default solver
           handles). Its UNSAT is sound for the integers whether it reasons over them or
           over the reals (a real relaxation without a solution has no integer one); its
           SAT is used only once the model is checked: every value an integer, every
           constraint true under it;
        3. Z3's default solver again, for the whole ``rlimit``.

        Every attempt is bounded by resource units, never by time, so a run's answers are
        the same on any machine. Measured (``zle prove --jobs 2``): 98 s wall with the
        default solver alone, 54 s with this sequence; exploring the gen 3 kick, 62 s
        against 22 s.
        """
        self.queries += 1
        constraints, names = self.slice(condition, extra)
        budgets = [(z3.Solver, QUICK_RLIMIT), (_nlsat_solver, NLSAT_RLIMIT), (z3.Solver, rlimit)]
        for make, budget in budgets:
            found = self._attempt(make(), constraints, min(budget, rlimit))
            if isinstance(found, z3.ModelRef):
                if _satisfies(found, constraints):
                    return self._assignment(found, names)
            elif found is Answer.UNSAT:
                return Answer.UNSAT
        return Answer.UNKNOWN

    def _attempt(self, solver: z3.Solver, constraints: list[Any], rlimit: int) -> Any:
        """A model, UNSAT or UNKNOWN; the resource units used count towards the total."""
        solver.set("rlimit", rlimit)
        solver.add(*constraints)
        before = _rlimit_count(solver)
        result = solver.check()
        self.rlimit_used += _rlimit_count(solver) - before
        if result == z3.unsat:
            return Answer.UNSAT
        if result == z3.sat:
            return solver.model()
        return Answer.UNKNOWN

    def _assignment(self, model: z3.ModelRef, names: set[str]) -> Assignment:
        return {
            name: model.eval(self.variables[name].term, model_completion=True).as_long()
            for name in names
            if name in self.variables
        }

    def _holds_in_witness(self, term: Any) -> bool:
        """Whether the current witness is known to satisfy ``term``."""
        if self._witness is None:
            return False
        names = self.variables_of(term)
        if not names <= self._witness.keys():
            return False
        pairs = [(self.variables[n].term, z3.IntVal(self._witness[n])) for n in names]
        return bool(z3.is_true(z3.simplify(z3.substitute(term, *pairs))))

    def _merge(self, found: Assignment) -> Assignment | None:
        """The current witness updated with a slice's solution (still a witness only if the
        current one was)."""
        if self._witness is None:
            return None
        return {**self._witness, **found}

    def _feasible(self, term: Any) -> bool:
        """Whether the path condition may allow ``term`` (``True`` when the solver could not
        tell within the branch budget; the path is then unconfirmed)."""
        if self._holds_in_witness(term):
            return True
        found = self.solve(self._condition, term, self.branch_rlimit)
        if found is Answer.UNSAT:
            return False
        if found is Answer.UNKNOWN:
            self._witness = None
            return True
        assert isinstance(found, dict)
        self._witness = self._merge(found)
        return True

    # --- deciding branches ------------------------------------------------------------

    def decide(self, condition: Any) -> bool:
        """Which way this run goes at a branch on ``condition`` (a Z3 formula)."""
        cached = self._simplified.get(condition.get_id())
        if cached is None:
            cached = (condition, z3.simplify(condition))
            self._simplified[condition.get_id()] = cached
        simple = cached[1]
        if z3.is_true(simple):
            return True
        if z3.is_false(simple):
            return False
        key = simple.get_id()
        known = self._known.get(key)
        if known is not None:
            return known
        by_bounds = self._intervals.decide(simple)
        if by_bounds is not None:
            self._known[key] = by_bounds
            self._alive.append(simple)
            return by_bounds
        index = len(self._decisions)
        if index < len(self._prefix):
            choice = self._prefix[index]
        elif self._syntactic:
            self._pending.append(([*self._decisions, False], None))
            choice = True
        else:
            choice = self._branch(simple)
        self._decisions.append(choice)
        self._condition.extend(conjuncts(simple if choice else z3.Not(simple)))
        self._known[key] = choice
        self._alive.append(simple)
        return choice

    def _branch(self, condition: Any) -> bool:
        """Take the way the witness satisfies; remember the other if it may be feasible."""
        negation = z3.simplify(z3.Not(condition))
        if self._holds_in_witness(negation):
            first, second, choice = negation, condition, False
        else:
            first, second, choice = condition, negation, True
        before = self._witness
        if not self._feasible(first):
            if not self._feasible(second):
                raise PathAbandoned  # the path condition itself is unsatisfiable
            return not choice
        other = self.solve(self._condition, second, self.branch_rlimit)
        if other is Answer.UNKNOWN:
            self._pending.append(([*self._decisions, not choice], None))
        elif other is not Answer.UNSAT:
            assert isinstance(other, dict)
            merged = {**before, **other} if before is not None else None
            self._pending.append(([*self._decisions, not choice], merged))
        return choice

    # --- predicates as formulas ---------------------------------------------------------

    def formula(
        self, predicate: Callable[[], object], max_paths: int = 4_096, in_context: bool = True
    ) -> Any:
        """The Z3 formula that is true exactly when ``predicate()`` returns true.

        The predicate's own branches are enumerated syntactically, without the solver:
        the formula is the disjunction, over its paths, of each path's condition and
        result (a path that raises contributes nothing: the predicate does not hold
        there). Evaluating an invariant this way costs one solver query where branching
        on each of its conjuncts would cost two per conjunct.

        ``in_context``: reuse the current path's decisions, which makes the formula
        smaller but valid only on this path; without it the formula is valid anywhere.
        """
        saved = (self._prefix, self._decisions, self._condition, self._known, self._pending)
        saved_mode = self._syntactic
        self._syntactic = True
        disjuncts: list[Any] = []
        self._pending = [([], None)]
        try:
            runs = 0
            while self._pending:
                runs += 1
                if runs > max_paths:
                    raise PathExplosion(f"a predicate with more than {max_paths} paths")
                self._prefix = self._pending.pop()[0]
                known = dict(saved[3]) if in_context else {}
                self._decisions, self._condition, self._known = [], [], known
                try:
                    result = predicate()
                except Exception:
                    continue
                if isinstance(result, bool):
                    if result:
                        disjuncts.append(z3.And(*self._condition))
                else:
                    disjuncts.append(z3.And(*self._condition, term_of(result)))
        finally:
            self._prefix, self._decisions, self._condition, self._known, self._pending = saved
            self._syntactic = saved_mode
        return z3.simplify(z3.Or(*disjuncts)) if disjuncts else z3.BoolVal(False)

    # --- enumerating paths ------------------------------------------------------------

    def explore(self, run: Callable[[], object]) -> Exploration:
        """Run ``run`` once per feasible path; each path records its result or error."""
        rlimit_before = self.rlimit_used
        queries_before = self.queries
        paths: list[Path] = []
        abandoned = 0
        self._pending = [([], {})]
        while self._pending:
            if len(paths) + abandoned >= self.max_paths:
                raise PathExplosion(f"more than {self.max_paths} paths")
            self._prefix, witness = self._pending.pop()
            self._witness = None if witness is None else self._completed(witness)
            self._decisions, self._condition, self._known = [], [], {}
            try:
                result = run()
            except PathAbandoned:
                abandoned += 1
                continue
            except (SolverGaveUp, PathExplosion):
                raise
            except Exception as error:  # the code under proof failed on this path
                paths.append(self._path(None, error))
            else:
                paths.append(self._path(result, None))
        return Exploration(
            paths=paths,
            abandoned=abandoned,
            queries=self.queries - queries_before,
            rlimit=self.rlimit_used - rlimit_before,
        )

    def _path(self, result: object, error: BaseException | None) -> Path:
        return Path(
            decisions=list(self._decisions),
            condition=list(self._condition),
            confirmed=self._witness is not None,
            result=result,
            error=error,
        )

    def _completed(self, witness: Assignment) -> Assignment:
        """``witness`` with every variable it lacks at its lowest allowed value (such a
        variable is unconstrained by the path so far)."""
        full = dict(witness)
        for name in self.variables:
            if name not in full:
                low = [b for b in self.bounds[name] if b.decl().kind() == z3.Z3_OP_GE]
                full[name] = low[0].arg(1).as_long() if low else 0
        return full

    # --- after exploring: questions about one path --------------------------------------

    def refute(self, path: Path, claim: Any, assumptions: Iterable[Any] = ()) -> Assignment | None:
        """``None`` if ``claim`` holds on every input that follows ``path`` and satisfies
        ``assumptions``; otherwise a witness (values for every variable) of an input that
        does and breaks the claim. Raises :class:`SolverGaveUp` when Z3 cannot tell."""
        negation = z3.simplify(z3.Not(claim))
        if z3.is_false(negation):
            return None
        return self.witness(path, negation, assumptions)

    def witness(
        self, path: Path, extra: Any = None, assumptions: Iterable[Any] = ()
    ) -> Assignment | None:
        """Values for every variable that satisfy the path condition, ``assumptions`` and
        ``extra``, or ``None`` when there are none. Each independent part is solved on its
        own."""
        condition = [*path.condition, *(c for a in assumptions for c in conjuncts(a))]
        goal = z3.BoolVal(True) if extra is None else extra
        found = self.solve(condition, goal, self.claim_rlimit)
        if found is Answer.UNKNOWN:
            raise SolverGaveUp("claim query")
        if found is Answer.UNSAT:
            return None
        assert isinstance(found, dict)
        assignment = dict(found)
        remaining = [t for t in condition if not self.variables_of(t) <= assignment.keys()]
        while remaining:
            part = self.solve(remaining[1:], remaining[0], self.claim_rlimit)
            if part is Answer.UNKNOWN:
                raise SolverGaveUp("witness query")
            if part is Answer.UNSAT:  # an unconfirmed path that is infeasible after all
                return None
            assert isinstance(part, dict)
            assignment.update(part)
            remaining = [t for t in remaining if not self.variables_of(t) <= assignment.keys()]
        return self._completed(assignment)


def _nlsat_solver() -> z3.Solver:
    """Z3's nonlinear real arithmetic procedure behind its standard preprocessing."""
    tactic = z3.Then("simplify", "propagate-values", "solve-eqs", "qfnra-nlsat")
    solver = tactic.solver()
    solver.set("timeout", NLSAT_TIMEOUT_MS)
    return solver


def _satisfies(model: z3.ModelRef, constraints: list[Any]) -> bool:
    """Whether ``model`` gives every constant an integer and makes every constraint true."""
    constants = [d for d in model.decls() if d.arity() == 0 and d.range() == z3.IntSort()]
    if not all(z3.is_int_value(model[d]) for d in constants):
        return False
    return all(z3.is_true(model.eval(c, model_completion=True)) for c in constraints)


def _rlimit_count(solver: z3.Solver) -> int:
    try:
        return int(solver.statistics().get_key_value("rlimit count"))
    except z3.Z3Exception:  # no query has run yet
        return 0
