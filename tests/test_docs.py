"""The documents a user reads point only at files the repository (or the wheel) has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [ROOT / "README.md", ROOT / "scenarios" / "README.md", *ROOT.glob("spec/**/*.md")]
)
LINK = re.compile(r"\]\(([^)#\s]+)[^)]*\)")
PATH_SPAN = re.compile(r"`(\.\.?/[^`\s]+)`")


@pytest.mark.parametrize("document", DOCUMENTS, ids=[str(d.relative_to(ROOT)) for d in DOCUMENTS])
def test_no_link_leaves_the_repository(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for target in LINK.findall(text) + PATH_SPAN.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        resolved = (document.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{document.name} points outside: {target}"
        assert resolved.exists(), f"{document.name} points at a missing file: {target}"
