"""The oracle manipulator: one-report spikes and crashes (down to a price of one base
unit), sustained drifts, and silence long enough for the oracle to go stale.

What it should not achieve: move the reference price more than ``max_step`` per report
(ORACLE-BOUNDED-STEP), make a healthy gen 3 position liquidatable
(NO-HEALTHY-LIQUIDATION), or get a gen 3 kick or reset through a stale or deviating
oracle (GEN3-BREAKERS). All are checked on every step by the machine.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from model.actions import AdvanceTime, ReportOracle
from tests.stateful.machine import EngineMachine


class OracleManipulator(EngineMachine):
    @rule(factor=st.sampled_from([2, 3, 10, 1_000]), revert=st.booleans())
    def manipulator_spikes_the_oracle(self, factor: int, revert: bool) -> None:
        """One report at ``factor`` times spot; with ``revert``, the next one undoes it."""
        spot = self.state.oracle.spot
        self.apply(ReportOracle(spot * factor))
        if revert:
            self.apply(ReportOracle(spot))

    @rule(divisor=st.sampled_from([2, 3, 10, 10**6, 10**40]), revert=st.booleans())
    def manipulator_crashes_the_oracle(self, divisor: int, revert: bool) -> None:
        """One report at spot / ``divisor`` (a huge divisor reports one base unit)."""
        spot = self.state.oracle.spot
        self.apply(ReportOracle(max(1, spot // divisor)))
        if revert:
            self.apply(ReportOracle(spot))

    @rule(
        step=st.integers(-1_000, 1_000).filter(lambda step: step != 0),
        reports=st.integers(2, 15),
        gap=st.sampled_from([0, 60, 600]),
    )
    def manipulator_drifts_the_oracle(self, step: int, reports: int, gap: int) -> None:
        """``reports`` reports in a row, each moving spot by ``step`` basis points."""
        for _ in range(reports):
            if gap:
                self.apply(AdvanceTime(gap))
            spot = self.state.oracle.spot
            self.apply(ReportOracle(max(1, spot * (10_000 + step) // 10_000)))

    @rule(hours=st.integers(1, 4))
    def manipulator_silences_the_oracle(self, hours: int) -> None:
        """No report for more than ``hours`` hours: the oracle goes stale."""
        self.apply(AdvanceTime(hours * 3_600 + 1))
