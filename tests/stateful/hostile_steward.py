"""The hostile risk steward: the automation an untrusted model drives, at its worst.

It proposes updates of ``L``, ``T`` and the warning margin by a little, by exactly its
bound, by one unit beyond it, and by far; before and just after its lock expires; to
values below the backstop ratio, with ``T`` at or below ``L``; it ratchets ``L`` up by
the full bound at every window; it walks ``L`` down to one unit below the least ratio
that meets ASM-SAFETY-INEQUALITY (a); and someone else tries to act as the steward.

What it should not achieve: parameters outside PARAM-CROSS or ASM-SAFETY-INEQUALITY (a)
(STEWARD-SAFE), a change beyond its bounds (STEWARD-BOUNDED), or a position that was
healthy made liquidatable by an update alone (STEWARD-PHASE-IN, NO-HEALTHY-LIQUIDATION:
checked here at the instant of every accepted update, besides the machine's checks of
every step).
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import AdvanceTime, UpdateParams
from model.numbers import RAY
from model.params import derived
from model.params.records import Gen3ZeroLossParams
from model.rules.steward import ETA
from model.state import State
from tests.stateful import views
from tests.stateful.machine import EngineFailure, EngineMachine

NAMES = ("liquidation_ratio", "target_ratio", "warning_margin")


def current(state: State) -> list[int]:
    """The steward's parameters as set (``L`` once phased in), or the configuration's."""
    record = state.steward
    if record is not None:
        return [record.liquidation_ratio, record.target_ratio, record.warning_margin]
    policy = state.config.policy
    assert isinstance(policy, Gen3ZeroLossParams)
    return [policy.liquidation_ratio, policy.target_ratio, policy.warning_margin]


def _has_steward(machine: EngineMachine) -> bool:
    return machine.state.config.steward is not None


def least_safe_ratio(state: State) -> int:
    """The least ``L`` with ``L (1 - s) f >= 1 + eta`` (ASM-SAFETY-INEQUALITY (a)),
    restated from ``spec/steward.md``: ``ceil((1 + eta) / ((1 - s) f))`` on RAY integers."""
    policy = state.config.policy
    assert isinstance(policy, Gen3ZeroLossParams)
    per_unit = (RAY - state.config.oracle.max_step) * policy.floor_ratio
    return -(-(RAY + ETA) * RAY * RAY // per_unit)


class HostileSteward(EngineMachine):
    def update(self, sender: str, values: list[int]) -> bool:
        """Send ``UpdateParams``; after an accepted one, no position may have become
        liquidatable at that instant."""
        before = {i for i, p in self.state.positions.items() if views.unsafe(self.state, p)}
        accepted = self.accepted(UpdateParams(sender, *values))
        if accepted:
            after = {i for i, p in self.state.positions.items() if views.unsafe(self.state, p)}
            if not after <= before:
                made = sorted(after - before)
                raise EngineFailure(f"an update made positions {made} liquidatable")
        return accepted

    @precondition(_has_steward)
    @rule(
        which=st.sampled_from(NAMES),
        step=st.sampled_from(["unit", "bound", "beyond", "far", "zero", "huge", "-bound"]),
        wait=st.sampled_from(["none", "almost", "window"]),
        impostor=st.booleans(),
    )
    def steward_proposes(self, which: str, step: str, wait: str, impostor: bool) -> None:
        """Move one parameter by ``step`` after waiting ``wait`` (nothing, one second short
        of the lock, or the whole window); or an impostor sends it."""
        bounds = self.state.config.steward
        assert bounds is not None
        if wait != "none":
            self.apply(AdvanceTime(bounds.min_delay - (1 if wait == "almost" else 0)))
        values = current(self.state)
        index = NAMES.index(which)
        moved = {
            "unit": values[index] + 1,
            "bound": values[index] + bounds.max_change,
            "-bound": max(0, values[index] - bounds.max_change),
            "beyond": values[index] + bounds.max_change + 1,
            "far": values[index] * 2,
            "zero": 0,
            "huge": 2**256 - 1,
        }
        values[index] = moved[step]
        self.update("mallory" if impostor else bounds.steward, values)

    @precondition(_has_steward)
    @rule(windows=st.integers(1, 4), down=st.booleans())
    def steward_ratchets(self, windows: int, down: bool) -> None:
        """Move ``L`` (and ``T`` with it) by the whole bound at every window, with ``T``
        first when raising, so that ``T > L`` holds throughout."""
        bounds = self.state.config.steward
        assert bounds is not None
        for _ in range(windows):
            self.apply(AdvanceTime(bounds.min_delay))
            values = current(self.state)
            delta = -bounds.max_change if down else bounds.max_change
            values[0] = max(0, values[0] + delta)
            values[1] = max(0, values[1] + delta)
            self.update(bounds.steward, values)

    @precondition(_has_steward)
    @rule(cross=st.sampled_from(["t-at-l", "l-at-backstop", "l-below-backstop"]))
    def steward_breaks_the_cross_constraints(self, cross: str) -> None:
        """Ask for ``T = L``, or ``L`` at or below the backstop ratio: refused."""
        bounds = self.state.config.steward
        assert bounds is not None
        values = current(self.state)
        policy = self.state.config.policy
        assert isinstance(policy, Gen3ZeroLossParams)
        backstop = derived.gen3_backstop_ratio(policy)
        if cross == "t-at-l":
            values[1] = values[0]
        else:
            values[0] = backstop - (1 if cross == "l-below-backstop" else 0)
        if self.update(bounds.steward, values):
            raise EngineFailure(f"the steward set {values} past the cross constraints")

    @precondition(_has_steward)
    @rule(windows=st.integers(1, 6))
    def steward_walks_to_the_safety_edge(self, windows: int) -> None:
        """Lower ``L`` (and ``T`` with it) by the bound at every window, down to one unit
        below the least safe ratio: that last update must be refused (STEWARD-SAFE), where
        the backstop ratio is below the edge (the "thin penalty" variant)."""
        bounds = self.state.config.steward
        assert bounds is not None
        unsafe = least_safe_ratio(self.state) - 1
        for _ in range(windows):
            self.apply(AdvanceTime(bounds.min_delay))
            values = current(self.state)
            if values[0] <= unsafe:
                return
            lowered = max(unsafe, values[0] - bounds.max_change)
            values[1] = max(0, values[1] - (values[0] - lowered))
            values[0] = lowered
            if self.update(bounds.steward, values) and lowered == unsafe:
                raise EngineFailure(f"the steward set L = {unsafe}, below the safety edge")
