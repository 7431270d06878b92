# pragma version ~=0.4.3
"""
@title The gen 2 auction house: MakerDAO Liquidations 2.0 over the model's lending pool
@notice A reference contract written from spec/ (spec/policies/gen2.md, spec/actions.md)
        and cross-checked against the model by `zle vectors check`, `zle fuzz` and
        `zle replay` through the EVM adapter and its mapping file
        (contracts/gen2_auction_house.toml). The vat holds the pool, the vaults, the
        buffers, the ledger, the oracle and the clock; the clipper kicks (Dog.bark),
        takes, redoes and settles the auctions. One collateral type; parameters fixed at
        deployment.
"""

import clipper
import vat

initializes: vat
initializes: clipper[vat := vat]
exports: (vat.__interface__, clipper.__interface__)


@deploy
def __init__(
    dust: uint256,
    max_step: uint256,
    step_period: uint256,
    volatility_alpha: uint256,
    mat: uint256,
    chop: uint256,
    buf: uint256,
    tail: uint256,
    cusp: uint256,
    chip: uint256,
    tip: uint256,
    hole: uint256,
    curve: clipper.Curve,
    tau: uint256,
    step: uint256,
    cut: uint256,
    spot: uint256,
):
    """Genesis with the oracle at spot (model.state.genesis); parameters as
    spec/parameters.md, in the order of model/params/records.py."""
    vat.__init__(dust, max_step, step_period, volatility_alpha, mat, spot)
    clipper.__init__(dust, chop, buf, tail, cusp, chip, tip, hole, curve, tau, step, cut)
