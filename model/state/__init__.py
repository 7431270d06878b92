"""State: the records the engine's steps replace."""

from model.state.accounts import Buffers, Ledger, Pool
from model.state.auction import Auction
from model.state.market import Market
from model.state.oracle import Oracle
from model.state.position import Position
from model.state.pre_liquidation import PreLiquidationTerms
from model.state.state import State, genesis
from model.state.steward import Steward

__all__ = [
    "Auction",
    "Buffers",
    "Ledger",
    "Market",
    "Oracle",
    "Pool",
    "Position",
    "PreLiquidationTerms",
    "State",
    "Steward",
    "genesis",
]
