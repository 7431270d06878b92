"""The directory vectors are written to: whose it is, and replacing it without loss.

``zle vectors generate DIR`` must never delete what it did not write. A directory is
*ours* when its ``manifest.json`` carries the format marker (``"zle_vectors"``) and every
entry beside it is one the generator writes (:data:`OWN_ENTRIES`). An empty or missing
directory may be written; any other one is refused unless the caller forces it, and
even then only the entries of :data:`OWN_ENTRIES` are replaced: a user's other files
stay where they are.

Writing is staged: the whole set is written to a hidden directory inside the target
first, then swapped in. The target itself (``.``, a mount point, the current directory
of a shell) is never renamed: each own entry is moved aside, the staged one moved in,
``manifest.json`` last, so an interrupted swap leaves no manifest and is never mistaken
for a complete set. A target that did not exist is removed again if writing fails.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

MARKER = "zle_vectors"
"""The manifest key that says a directory was written by ``zle vectors generate``."""
POLICY_DIRS = ("gen1", "gen2", "gen3")
TOPOLOGY_DIRS = ("isolated", "shared")
"""The system vectors' top-level directories, one per topology (``vectors.systems``)."""
OWN_ENTRIES = (*POLICY_DIRS, *TOPOLOGY_DIRS, "manifest.json")
"""What the generator writes at the top of the directory (the manifest last)."""
STAGING_PREFIX = ".zle-vectors-"


class TargetRefused(Exception):
    """The target directory is not ours to replace; the message says why."""


def _foreign_manifest(manifest: Path) -> str | None:
    """Why ``manifest`` is not one of ours, or None."""
    try:
        obj = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return f"{manifest} is not a vector manifest (not readable JSON)"
    if not isinstance(obj, dict) or MARKER not in obj:
        return f"{manifest} has no {MARKER!r} marker: it was not written by zle vectors"
    return None


def claim(directory: Path, force: bool = False) -> None:
    """Raise :class:`TargetRefused` unless vectors may be written to ``directory``."""
    for ancestor in [directory, *directory.parents]:
        if ancestor.exists() or ancestor.is_symlink():
            if not ancestor.is_dir():
                what = "is" if ancestor == directory else f"is under {ancestor}, which is"
                raise TargetRefused(f"{directory} {what} a file, not a directory")
            break
    if not directory.exists():
        return
    entries = sorted(p.name for p in directory.iterdir() if not _is_staging(p))
    if not entries or force:
        return
    if "manifest.json" not in entries:
        raise TargetRefused(
            f"{directory} is not empty and holds no manifest.json: it is not a vector "
            "directory (use an empty or new directory, or --force to write the vectors "
            "beside what is there)"
        )
    problem = _foreign_manifest(directory / "manifest.json")
    if problem is not None:
        raise TargetRefused(f"{problem}; not replacing it (--force to replace it)")
    foreign = [name for name in entries if name not in OWN_ENTRIES]
    if foreign:
        listed = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise TargetRefused(
            f"{directory} holds files the vectors do not ({listed}); not replacing it "
            "(--force replaces only manifest.json and gen1/ gen2/ gen3/)"
        )


def _is_staging(path: Path) -> bool:
    return path.name.startswith(STAGING_PREFIX)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def write_staged(directory: Path, write: Callable[[Path], None], force: bool = False) -> None:
    """Run ``write(staging)`` and put what it wrote in place as ``directory``.

    ``write`` must write :data:`OWN_ENTRIES` only. Raises :class:`TargetRefused` before
    writing anything when ``directory`` is not ours (see :func:`claim`). If ``write``
    fails, nothing of it remains and ``directory`` is as it was.
    """
    directory = Path(directory).absolute()
    claim(directory, force)
    created: list[Path] = []
    for ancestor in reversed([directory, *directory.parents]):
        if not ancestor.exists():
            ancestor.mkdir()
            created.append(ancestor)
    for leftover in directory.iterdir():  # from an interrupted run
        if _is_staging(leftover):
            _remove(leftover)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=directory))
    try:
        write(staging)
        _swap(directory, staging)
    except BaseException:
        _remove(staging)
        for made in reversed(created):
            shutil.rmtree(made, ignore_errors=True)
        raise
    _remove(staging)


def _swap(directory: Path, staging: Path) -> None:
    """Replace the own entries of ``directory`` by those of ``staging``."""
    aside = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}old-", dir=directory))
    try:
        manifest = directory / "manifest.json"
        if manifest.exists():
            manifest.rename(aside / "manifest.json")
        for name in OWN_ENTRIES:
            old = directory / name
            if old.exists() or old.is_symlink():
                old.rename(aside / name)
        for name in OWN_ENTRIES:
            new = staging / name
            if new.exists():
                new.rename(directory / name)
    finally:
        _remove(aside)
