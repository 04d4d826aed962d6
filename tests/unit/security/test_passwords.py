"""Password hashing (security.md, "Beyond the guide": passwords only as a slow hash)."""

from __future__ import annotations

import pytest

from wwe_host.security import hash_password, is_hashed, validate_hash, verify_password


def test_round_trip_and_format() -> None:
    stored = hash_password("s3cret pässword")
    assert stored.startswith("$scrypt$n=16384,r=8,p=1$")
    assert len(stored.split("$")) == 5
    assert is_hashed(stored)
    validate_hash(stored)
    assert verify_password(stored, "s3cret pässword", allow_plain=False)
    assert verify_password(stored, "s3cret pässword", allow_plain=True)


def test_wrong_password_is_refused() -> None:
    stored = hash_password("right")
    assert not verify_password(stored, "wrong", allow_plain=False)
    assert not verify_password(stored, "Right", allow_plain=True)
    assert not verify_password(stored, "", allow_plain=False)
    assert not verify_password(stored, stored, allow_plain=True)


def test_salt_makes_each_hash_unique() -> None:
    first, second = hash_password("same"), hash_password("same")
    assert first != second
    assert verify_password(first, "same", allow_plain=False)
    assert verify_password(second, "same", allow_plain=False)


def test_plain_stored_password_only_with_allow_plain() -> None:
    assert not is_hashed("demo")
    assert not verify_password("demo", "demo", allow_plain=False)
    assert verify_password("demo", "demo", allow_plain=True)
    assert not verify_password("demo", "demo2", allow_plain=True)
    assert not verify_password("demo", "Demo", allow_plain=True)
    # An empty stored password never lets anyone in.
    assert not verify_password("", "", allow_plain=True)


@pytest.mark.parametrize(
    "stored",
    [
        "$scrypt$",
        "$scrypt$n=16384,r=8,p=1$abc",
        "$scrypt$n=16384,r=8$c2FsdA$" + "A" * 43,
        "$scrypt$n=1000,r=8,p=1$c2FsdA$" + "A" * 43,
        "$scrypt$n=1073741824,r=8,p=1$c2FsdA$" + "A" * 43,
        "$scrypt$n=16384,r=8,p=1$!!!$" + "A" * 43,
        "$scrypt$n=16384,r=8,p=1$c2FsdA$QQ",
    ],
)
def test_malformed_hash_is_refused_and_reported(stored: str) -> None:
    assert is_hashed(stored)
    assert not verify_password(stored, "anything", allow_plain=True)
    with pytest.raises(ValueError):
        validate_hash(stored)


def test_validate_hash_rejects_plain() -> None:
    with pytest.raises(ValueError, match=r"\$scrypt\$"):
        validate_hash("plain")
