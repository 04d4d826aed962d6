"""Field codes of web-content URLs (wwe_host.config.fields)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwe_host.config import FIELD_CODES, WEB_CONTENT_MODES, expand_field_codes


def test_field_codes_are_the_documented_ones() -> None:
    assert FIELD_CODES == (
        "Agent.UserName",
        "Agent.EmployeeId",
        "Agent.FullName",
        "Interaction.Id",
        "Interaction.CaseId",
        "Interaction.ANI",
        "Interaction.DNIS",
        "Interaction.UUID",
    )
    assert WEB_CONTENT_MODES == ("tab", "popup", "background", "hidden")


def test_expand_field_codes() -> None:
    url = expand_field_codes(
        "http://a/crm?who=$Agent.FullName$&ani=$Interaction.ANI$&k=$AttachedData.Key 1$"
        "&none=$Interaction.DNIS$#/case/$Interaction.CaseId$",
        {
            "Agent.FullName": "John Doe",
            "Interaction.ANI": "+33 1&2",
            "AttachedData.Key 1": "a/b#c",
            "Interaction.CaseId": "c-1",
        },
    )
    assert url == ("http://a/crm?who=John%20Doe&ani=%2B33%201%262&k=a%2Fb%23c&none=#/case/c-1")


def test_expand_field_codes_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError, match=r"not \$Agent\.Name\$"):
        expand_field_codes("http://a/?x=$Agent.Name$", {})
    with pytest.raises(ValueError, match="unbalanced"):
        expand_field_codes("http://a/?x=$Agent.UserName", {})


@given(st.text())
def test_expanded_values_come_back_intact(value: str) -> None:
    url = expand_field_codes("http://a/p?v=$AttachedData.K$&w=1", {"AttachedData.K": value})
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert query["w"] == ["1"]
    assert query["v"] == [value]
