"""The proof suite's mutant catalogue, run against the stateful machines instead.

``python -m tests.stateful.mutation_run [--only ID ...] [--jobs N] [--json FILE]``
(``make mutants-stateful``) applies each mutant of ``proofs/mutants/catalogue.py`` to a
temporary copy of ``model`` (``proofs.mutants.apply.materialise``), starts a child with
that copy first on ``PYTHONPATH`` and runs the machines of the policies the mutated file
serves, under the ``ci`` profile, stopping at the first failure (no shrinking). A mutant
is killed when a machine fails (an invariant, a refusal that changed the state, a typed
fault escaping) or finds a worst case beyond its proven bound; ``import`` when the
mutated model does not even import.

This is a measurement, not a test: the figure goes in a closing note and the README. It
answers "how much of what the proofs catch would random adversarial testing catch?".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from proofs.mutants.apply import MARKER, run_child
from proofs.mutants.catalogue import BY_ID, MUTANTS, Mutant

POLICIES_OF_FILE = {
    "model/policies/gen1_spot.py": ("gen1",),
    "model/policies/gen2_dutch.py": ("gen2",),
    "model/curves/abaci.py": ("gen2",),
    "model/policies/gen3_zero_loss/__init__.py": ("gen3",),
    "model/policies/gen3_zero_loss/auction.py": ("gen3",),
    "model/policies/gen3_zero_loss/backstop.py": ("gen3",),
    "model/policies/gen3_zero_loss/breakers.py": ("gen3",),
    "model/policies/gen3_zero_loss/kick.py": ("gen3",),
    "model/policies/gen3_zero_loss/sizing.py": ("gen3",),
    "model/policies/gen3_zero_loss/zones.py": ("gen3",),
    "model/curves/zero_loss.py": ("gen3",),
    "model/rules/preliquidation.py": ("gen3-predictive",),
    "model/rules/steward.py": ("gen3-predictive",),
    "model/invariants/predictive.py": ("gen3-predictive",),
}
"""Files only one policy runs (pre-liquidation and the steward: the gen 3 machine with a
steward, a hostile steward and a hostile pre-liquidator); every other model file is
shared by the three."""


EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Failure|Exception|Violation|Group)\w*\b")


SYSTEM = ("system-isolated", "system-shared")
"""The two-market machines (``system_machine.py``): the ones that run ``model/system``."""


def policies_for(mutant: Mutant) -> tuple[str, ...]:
    if mutant.file.startswith("model/system/"):
        return SYSTEM
    return POLICIES_OF_FILE.get(mutant.file, ("gen3", "gen2", "gen1"))


def _headline(failure: str | None) -> list[str] | None:
    """The exception line of a machine's failure (its first line naming an error), the
    line a reader needs; the whole text is kept too."""
    if not failure:
        return None
    lines = [x.strip() for x in failure.strip().splitlines() if x.strip()]
    named = [x for x in lines if EXCEPTION_LINE.match(x)]
    headline = re.sub(r"^(\w+\.)+", "", named[0]) if named else lines[-1]
    return [headline, failure]


def child(policies: list[str], model_dir: str) -> dict[str, Any]:
    """In the child: check the mutated model is the one imported, run the machines."""
    try:
        import model

        found = Path(model.__file__ or "").resolve().parent
        if found != Path(model_dir).resolve():
            return {"status": "crash", "detail": f"imported model from {found}"}
        from tests.stateful.harness import run_machine
        from tests.stateful.system_machine import run_system_machine
    except Exception as exc:  # the mutant broke the import: that is a kill
        return {"status": "import", "detail": f"{type(exc).__name__}: {exc}"}
    runs = []
    for policy in policies:
        if policy in SYSTEM:
            started = time.perf_counter()
            system_run = run_system_machine(policy, find_only=True)
            runs.append(
                {
                    "policy": policy,
                    "steps": sum(system_run.outcomes.values()),
                    "seconds": round(time.perf_counter() - started, 2),
                    "failure": _headline(system_run.failure),
                    "beyond_bounds": [],
                }
            )
            if system_run.failure:
                break
            continue
        run = run_machine(policy, "ci", find_only=True)
        beyond = run.beyond_bounds()
        runs.append(
            {
                "policy": policy,
                "steps": run.observed.steps,
                "seconds": round(run.seconds, 2),
                "failure": _headline(run.failure),
                "beyond_bounds": [str(b) for b in beyond] if beyond else [],
            }
        )
        if run.failure or beyond:
            break
    return {"status": "ran", "runs": runs}


def run_one(mutant: Mutant, timeout: float) -> dict[str, Any]:
    request = {"policies": list(policies_for(mutant))}
    module = "tests.stateful.mutation_run"
    result, seconds = run_child(mutant, module, request, timeout, arguments=["--child"])
    result["id"] = mutant.id
    result["seconds"] = round(seconds, 1)
    result["killed"] = result["status"] != "ran" or any(
        r["failure"] or r["beyond_bounds"] for r in result.get("runs", [])
    )
    return result


def _why(result: dict[str, Any]) -> str:
    if result["status"] != "ran":
        return f"{result['status']}: {result.get('detail', '')}"[:100]
    for r in result["runs"]:
        if r["failure"]:
            return f"{r['policy']}: {r['failure'][0]}"[:100]
        if r["beyond_bounds"]:
            return f"{r['policy']}: beyond bound {r['beyond_bounds'][0]}"[:100]
    steps = sum(r["steps"] for r in result["runs"])
    return f"survived {steps:,} steps ({', '.join(r['policy'] for r in result['runs'])})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", default=[], help="mutant id (repeatable)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per mutant")
    parser.add_argument("--json", dest="json_path", help="write every result here")
    args = parser.parse_args(argv)
    if args.child:  # in the child run_child started: the request is on stdin
        request = json.loads(sys.stdin.read())
        print(MARKER + json.dumps(child(request["policies"], request["model_dir"])), flush=True)
        return 0
    unknown = [i for i in args.only if i not in BY_ID]
    if unknown:
        parser.error(f"unknown mutant ids: {' '.join(unknown)}")
    mutants = [BY_ID[i] for i in args.only] if args.only else list(MUTANTS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda m: run_one(m, args.timeout), mutants))
    wall = time.perf_counter() - started
    for result in results:
        mark = "killed  " if result["killed"] else "SURVIVED"
        print(f"{mark} {result['id']:<44} {result['seconds']:>7.1f} s  {_why(result)}")
    counted = [r for r in results if not BY_ID[r["id"]].equivalent]
    killed = sum(r["killed"] for r in counted)
    print(
        f"stateful kill rate {killed}/{len(counted)} = {killed / max(1, len(counted)):.0%} "
        f"of the non-equivalent mutants, in {wall:.0f} s wall with {args.jobs} jobs"
    )
    if args.json_path:
        Path(args.json_path).write_text(json.dumps({"wall_seconds": wall, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
