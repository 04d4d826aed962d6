"""The documentation a clone gets: it points only at files the repository has, and the
integrator's install is the one that works (wwe-host is not on PyPI)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_MD_NAME = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
_LINK = re.compile(r"\]\(([^)#\s]+)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_a_doc_points_only_inside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    above = re.findall(r"(?<!\.)\.\./", text)  # `PATCH .../user-data` is an ellipsis
    assert not above, f"{doc.name} points above its folder"
    assert "shared/spec" not in text
    for name in _MD_NAME.findall(text):
        # `docs/api.md`, or a bare `api.md` meaning the file beside it
        found = (ROOT / name).exists() or (ROOT / "docs" / Path(name).name).exists()
        assert found, f"{doc.name} names {name}, which a clone does not have"
    for target in _LINK.findall(text):
        if not target.startswith(("http://", "https://", "mailto:")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"


def test_the_testing_extra_brings_pytest_and_playwright() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    testing = project["optional-dependencies"]["testing"]
    assert {re.split(r"[<>=]", r)[0] for r in testing} == {"pytest", "playwright"}
    quickstart = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    assert "[testing]" in quickstart
    assert "pip install wwe-host" not in quickstart  # not published: from a checkout or wheel
