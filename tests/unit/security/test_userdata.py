"""Attached-data read/write key lists (security.md, "Attached data (user data) access")."""

from __future__ import annotations

import pytest

from wwe_host.security import KeyList

DATA = {"Key1": "a", "Key2": 2, "Key3": True, "Key4": "secret", "IW_CaseUid": "c"}


def test_guide_example_read_and_write() -> None:
    read = KeyList.parse("Key1,Key2,Key3")
    write = KeyList.parse("Key1,Key3")
    assert read.filter(DATA) == {"Key1": "a", "Key2": 2, "Key3": True}
    assert [k for k in DATA if write.allows(k)] == ["Key1", "Key3"]
    assert write.disallowed(["Key1", "Key2", "Key3", "Key4"]) == ["Key2", "Key4"]
    assert write.disallowed(["Key3", "Key1"]) == []
    assert not read.allows_all
    assert read.describe() == "Key1, Key2, Key3"


def test_filter_removes_rather_than_masks_and_never_mutates() -> None:
    data = dict(DATA)
    out = KeyList.parse("Key1").filter(data)
    assert out == {"Key1": "a"}
    assert data == DATA
    everything = KeyList.parse("*").filter(data)
    assert everything == DATA
    assert everything is not data


def test_prefix_match() -> None:
    keys = KeyList.parse("IW_*, Key1")
    assert keys.allows("IW_CaseUid")
    assert keys.allows("IW_")
    assert not keys.allows("IW")
    assert not keys.allows("iw_CaseUid")
    assert not keys.allows("XIW_CaseUid")
    assert keys.filter(DATA) == {"Key1": "a", "IW_CaseUid": "c"}
    assert not keys.allows_all


def test_star_alone_and_absent_mean_every_key() -> None:
    for keys in (KeyList.parse("*"), KeyList.parse(None), KeyList.parse("Key1, *")):
        assert keys.allows_all
        assert keys.allows("anything at all")
        assert keys.allows("")
        assert keys.disallowed(DATA) == []
        assert keys.describe() == "*"


@pytest.mark.parametrize("value", ["", "   ", " , "])
def test_empty_value_means_no_key(value: str) -> None:
    keys = KeyList.parse(value)
    assert not keys.allows_all
    assert not keys.allows("Key1")
    assert keys.filter(DATA) == {}
    assert keys.disallowed(["Key1", "Key2"]) == ["Key1", "Key2"]
    assert keys.describe() == "(no key)"


def test_exact_and_case_sensitive() -> None:
    keys = KeyList.parse(" Key1 ,Key2")
    assert keys.allows("Key1")
    assert keys.allows("Key2")
    assert not keys.allows("key1")
    assert not keys.allows("KEY1")
    assert not keys.allows("Key10")
    assert not keys.allows("Key")


def test_disallowed_names_every_bad_key_once_in_order() -> None:
    keys = KeyList.parse("Key1, IW_*")
    given = ["Zed", "Key1", "Alpha", "Zed", "IW_x", "key1", "Alpha"]
    assert keys.disallowed(given) == ["Zed", "Alpha", "key1"]
    assert keys.disallowed(iter(given)) == ["Zed", "Alpha", "key1"]


def test_star_inside_a_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="'\\*_ID'"):
        KeyList.parse("Key1, *_ID")


def test_equality_ignores_order_and_duplicates() -> None:
    assert KeyList.parse("Key1, Key2, Key1") == KeyList.parse("Key2,Key1")
    assert KeyList.parse("Key1") != KeyList.parse("Key1*")
    assert KeyList.parse(None) == KeyList.parse("*")
    assert KeyList.parse("Key1, Key2, Key1").items == ("Key1", "Key2")
