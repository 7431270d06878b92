"""The scenarios shipped with the project, as package data.

``simulation/scenarios`` is the repository's ``scenarios/`` (a link in a checkout,
copied into the wheel, with the historical series under ``data/`` and the example
parameter files under ``params/``), read through ``importlib.resources`` so that an
installed ``zle simulate blackthursday2020-1h`` finds it.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def scenarios_dir() -> Traversable:
    return files("simulation").joinpath("scenarios")


def scenario_names() -> list[str]:
    """Names of the shipped scenarios (their file names without ``.toml``)."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in scenarios_dir().iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )


def shipped_scenario(name: str) -> Traversable | None:
    """The shipped scenario called ``name`` (with or without ``.toml``), if there is one."""
    stem = name.removesuffix(".toml")
    if stem not in scenario_names():
        return None
    return scenarios_dir().joinpath(f"{stem}.toml")


def system_names() -> list[str]:
    """Names of the shipped scenarios with several markets (``scenarios/systems/``; the
    single-market scenarios they build on are in its ``markets/``)."""
    folder = scenarios_dir().joinpath("systems")
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )


def shipped_system(name: str) -> Traversable | None:
    """The shipped scenario with several markets called ``name``, if there is one."""
    stem = name.removesuffix(".toml")
    if stem not in system_names():
        return None
    return scenarios_dir().joinpath("systems", f"{stem}.toml")


def params_file(name: str) -> Traversable:
    """A shipped example parameter file, ``scenarios/params/<name>``."""
    return scenarios_dir().joinpath("params", name)
