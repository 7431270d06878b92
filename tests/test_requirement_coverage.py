"""The spec's requirement index is complete, consistent, and every ID is covered."""

from __future__ import annotations

from tests.requirements_index import (
    ROOT,
    covered_by_proofs,
    covered_by_tests,
    docstrings,
    ids_named_in_docstrings,
    read_index,
)


def test_index_has_unique_ids() -> None:
    ids = [r.id for r in read_index()]
    assert ids, "spec/requirements.md has no rows"
    assert len(ids) == len(set(ids)), "duplicate IDs in spec/requirements.md"


def test_every_id_is_stated_where_the_index_says() -> None:
    missing = []
    for requirement in read_index():
        texts = [(ROOT / "spec" / name).read_text() for name in requirement.defined_in]
        if not any(requirement.id in text for text in texts):
            missing.append(f"{requirement.id} not found in {', '.join(requirement.defined_in)}")
    assert missing == []


def test_every_id_is_covered_by_a_test_or_a_proof() -> None:
    covered = set(covered_by_tests()) | set(covered_by_proofs())
    uncovered = [r.id for r in read_index() if r.id not in covered]
    assert uncovered == [], f"requirement IDs covered by no test and no proof: {uncovered}"


def test_tests_only_cover_ids_that_exist() -> None:
    known = {r.id for r in read_index()}
    unknown = {
        requirement_id: files
        for requirement_id, files in {**covered_by_tests(), **covered_by_proofs()}.items()
        if requirement_id not in known
    }
    assert unknown == {}, f"tests or proofs cover IDs that spec/requirements.md lacks: {unknown}"


def test_every_id_has_a_code_location() -> None:
    missing = [r.id for r in read_index() if not r.code]
    assert missing == [], (
        f"requirement IDs with no code location in spec/requirements.md: {missing}"
    )


def test_every_code_location_exists_and_names_its_id() -> None:
    wrong = []
    for requirement in read_index():
        for location in requirement.code:
            path, _, name = location.partition("::")
            if not (ROOT / path).is_file():
                wrong.append(f"{requirement.id}: no file {path}")
                continue
            docs = docstrings(ROOT / path)
            if name not in docs:
                wrong.append(f"{requirement.id}: {path} defines no {name}")
            elif requirement.id not in docs[name]:
                wrong.append(f"{requirement.id}: the docstring of {location} does not name it")
    assert wrong == []


def test_docstrings_name_only_ids_that_exist() -> None:
    known = {r.id for r in read_index()}
    unknown = {
        word: where for word, where in ids_named_in_docstrings().items() if word not in known
    }
    assert unknown == {}, f"docstrings name IDs that spec/requirements.md lacks: {unknown}"
