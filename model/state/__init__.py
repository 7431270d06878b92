"""State: the records the engine's steps replace."""

from model.state.accounts import Buffers, Ledger, Pool
from model.state.auction import Auction
from model.state.market import Market
from model.state.oracle import Oracle
from model.state.position import Position
from model.state.state import State, genesis

__all__ = [
    "Auction",
    "Buffers",
    "Ledger",
    "Market",
    "Oracle",
    "Pool",
    "Position",
    "State",
    "genesis",
]
