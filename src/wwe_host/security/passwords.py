"""Agent password hashing with scrypt from the standard library (no native dependency)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections import Counter
from collections.abc import Iterable

PREFIX = "$scrypt$"
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32
# Bounds on parameters read back from a stored hash, so a crafted config cannot make a login
# allocate gigabytes (memory is 128 * n * r bytes).
_MAX_MEMORY = 256 * 1024 * 1024


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _scrypt(plain: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        plain.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=_MAX_MEMORY + 1024 * 1024,
        dklen=dklen,
    )


def hash_password(plain: str) -> str:
    """A salted scrypt hash in ``$scrypt$n=..,r=..,p=..$salt$hash`` form (base64, no padding)."""
    salt = os.urandom(_SALT_BYTES)
    key = _scrypt(plain, salt, _N, _R, _P, _KEY_BYTES)
    return f"{PREFIX}n={_N},r={_R},p={_P}${_b64encode(salt)}${_b64encode(key)}"


def is_hashed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored[len(PREFIX) :].split("$")
    if len(parts) != 3:
        raise ValueError("expected $scrypt$n=N,r=R,p=P$<salt>$<hash>")
    params: dict[str, int] = {}
    for item in parts[0].split(","):
        name, _, number = item.partition("=")
        if (
            name not in ("n", "r", "p")
            or name in params
            or not (number.isascii() and number.isdigit())
        ):
            raise ValueError(f"bad parameter '{item}' (expected n=N,r=R,p=P)")
        params[name] = int(number)
    if set(params) != {"n", "r", "p"}:
        raise ValueError("expected the parameters n, r and p")
    n, r, p = params["n"], params["r"], params["p"]
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or 128 * n * r > _MAX_MEMORY or p > 16:
        raise ValueError(f"unsupported scrypt parameters n={n}, r={r}, p={p}")
    try:
        salt, key = _b64decode(parts[1]), _b64decode(parts[2])
    except (binascii.Error, ValueError):
        raise ValueError("salt or hash is not valid base64") from None
    if not salt or not 16 <= len(key) <= 64:
        raise ValueError("salt is empty or hash is not 16 to 64 bytes")
    return n, r, p, salt, key


def validate_hash(stored: str) -> None:
    """Raise ValueError naming the problem when ``stored`` is a malformed scrypt hash.

    Lets the configuration loader stop at start instead of every login failing later.
    """
    if not is_hashed(stored):
        raise ValueError("not a scrypt hash (it does not start with $scrypt$)")
    _parse(stored)


def verify_password(stored: str, plain: str, *, allow_plain: bool) -> bool:
    """Check a login attempt; plain-text stored passwords count only when explicitly allowed."""
    if not is_hashed(stored):
        if not allow_plain or not stored:
            return False
        return hmac.compare_digest(stored.encode("utf-8"), plain.encode("utf-8"))
    try:
        n, r, p, salt, key = _parse(stored)
    except ValueError:
        return False
    return hmac.compare_digest(key, _scrypt(plain, salt, n, r, p, len(key)))


def dummy_hash_like(stored: Iterable[str]) -> str:
    """A hash of a random password with the parameters most of ``stored`` use (the default
    ones when none is a hash): verifying an unknown user against it costs what verifying a
    configured user costs, so the answer's timing does not tell whether the user exists."""
    counts: Counter[tuple[int, int, int, int]] = Counter()
    for text in stored:
        if is_hashed(text):
            try:
                n, r, p, _salt, key = _parse(text)
            except ValueError:
                continue
            counts[(n, r, p, len(key))] += 1
    n, r, p, dklen = counts.most_common(1)[0][0] if counts else (_N, _R, _P, _KEY_BYTES)
    salt = os.urandom(_SALT_BYTES)
    key = _scrypt(secrets.token_urlsafe(24), salt, n, r, p, dklen)
    return f"{PREFIX}n={n},r={r},p={p}${_b64encode(salt)}${_b64encode(key)}"
