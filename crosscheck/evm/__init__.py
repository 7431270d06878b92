"""Cross-checking contracts: the adapter protocol over an in-process EVM.

``--impl evm:MAPPING`` (``zle vectors check``, ``zle fuzz``, ``zle record``) loads the
mapping file (``crosscheck.evm.mapping``), compiles the contract it names and drives it
on titanoboa's py-evm (``crosscheck.evm.adapter``). The reference example is the gen 2
auction house in ``contracts/``, mapped by ``contracts/gen2_auction_house.toml``.

Needs the optional dependencies ``titanoboa`` and ``vyper``
(``pip install 'zero-loss-engine[evm]'``); nothing else in the project imports them.
"""

from __future__ import annotations

from pathlib import Path

from crosscheck.adapter import AdapterError


def load(path: str | Path) -> object:
    """The contract the mapping file at ``path`` describes, behind the adapter interface."""
    from crosscheck.evm.mapping import read_mapping
    from simulation.file_text import ConfigFileError

    try:
        mapping = read_mapping(Path(path))
    except ConfigFileError as error:
        raise AdapterError(
            f"--impl evm:{path}: the mapping file is not usable", error.problems
        ) from None
    try:
        import boa  # noqa: F401
        import vyper  # noqa: F401
    except ImportError as error:
        raise AdapterError(
            f"--impl evm:{path}: the EVM adapter needs titanoboa and vyper ({error}): "
            "pip install 'zero-loss-engine[evm]'"
        ) from None
    from crosscheck.evm.adapter import EvmImplementation

    return EvmImplementation(mapping)
