"""Parameters: the records that configure a run, and the rules that make them valid."""

from model.params.records import (
    Config,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    OracleParams,
    PolicyParams,
    StewardBounds,
)
from model.params.validation import ParamError, validate

__all__ = [
    "Config",
    "Gen1SpotParams",
    "Gen2DutchParams",
    "Gen3ZeroLossParams",
    "OracleParams",
    "ParamError",
    "PolicyParams",
    "StewardBounds",
    "validate",
]
