"""Running the engine's own code on symbolic integers.

:class:`SymInt` behaves like a Python ``int`` whose value is a Z3 term; comparing two
of them gives a :class:`SymBool`, and using a ``SymBool`` where Python needs a ``bool``
(``if``, ``and``, ``min``) asks the :class:`Explorer` which way to go. The explorer runs
a function again and again until every feasible sequence of decisions has been taken,
so each run is one path through the code, with its path condition.
"""

from proofs.symbolic.explorer import (
    Exploration,
    Explorer,
    Path,
    PathAbandoned,
    SolverGaveUp,
)
from proofs.symbolic.values import SymBool, SymInt, is_symbolic, term_of

__all__ = [
    "Exploration",
    "Explorer",
    "Path",
    "PathAbandoned",
    "SolverGaveUp",
    "SymBool",
    "SymInt",
    "is_symbolic",
    "term_of",
]
