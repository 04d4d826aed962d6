"""The JWT signing key (security/signing.py): which keys it takes, and what it says of
those it does not."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from wwe_host.security.signing import JwtSigner

PLAIN = serialization.NoEncryption()


def pem_of(private: object, encryption: object = PLAIN) -> bytes:
    return private.private_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def test_generated_key_signs_es256_and_round_trips_through_pem() -> None:
    signer = JwtSigner.generate()
    assert signer.algorithm == "ES256"
    again = JwtSigner.from_pem(signer.pem())
    assert again.kid == signer.kid and again.jwks() == signer.jwks()
    token = signer.sign({"sub": "x"})
    [key] = jwt.PyJWKSet.from_dict(again.jwks()).keys
    assert jwt.decode(token, key, algorithms=["ES256"]) == {"sub": "x"}
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "typ": "JWT", "kid": signer.kid}


@pytest.mark.parametrize(
    ("pem", "problem"),
    [
        (b"not a key", "not a PEM private key"),
        (
            pem_of(
                ec.generate_private_key(ec.SECP256R1()),
                serialization.BestAvailableEncryption(b"pw"),
            ),
            "the key is encrypted; give it without a passphrase",
        ),
        (
            pem_of(ec.generate_private_key(ec.SECP384R1())),
            "an EC key on secp384r1; only P-256 (ES256) is supported",
        ),
        (
            pem_of(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
            "an RSA key of 1024 bits; at least 2048 are needed",
        ),
        (
            pem_of(ed25519.Ed25519PrivateKey.generate()),
            "an EC P-256 (ES256) or RSA (RS256) key is needed",
        ),
    ],
)
def test_keys_it_refuses(pem: bytes, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        JwtSigner.from_pem(pem)
    assert problem in str(caught.value)


def test_a_file_names_itself_in_its_problem(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as caught:
        JwtSigner.from_file(tmp_path / "absent.pem")
    assert str(caught.value).startswith(f"{tmp_path / 'absent.pem'}: cannot read it")
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"junk")
    with pytest.raises(ValueError) as caught:
        JwtSigner.from_file(bad)
    assert str(caught.value).startswith(f"{bad}: not a PEM private key")
