"""The key that signs the JWTs of auth.getJwtToken (api-9.md), and its public JWK set.

ES256 (an EC P-256 key) by default: generated at the first start and kept in the store.
A PEM file may be given instead (``[wwe-host] jwt-signing-key``): an EC P-256 key signs
ES256, an RSA key of at least 2048 bits signs RS256. Signing and the JWK are joserfc's; the
key is read with cryptography (joserfc's own dependency) to tell its type before use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

MIN_RSA_BITS = 2048


class JwtSigner:
    """One private key: signs compact JWTs, publishes its public key as a JWK set."""

    __slots__ = ("algorithm", "key", "kid")

    def __init__(self, key: ECKey | RSAKey, algorithm: str) -> None:
        self.key = key
        self.algorithm = algorithm
        # The RFC 7638 thumbprint: the same key always has the same id.
        self.kid = key.thumbprint()

    @classmethod
    def generate(cls) -> JwtSigner:
        return cls(ECKey.generate_key("P-256", private=True), "ES256")

    @classmethod
    def from_pem(cls, pem: bytes) -> JwtSigner:
        """A signer of a PEM private key; ValueError says in words what is wrong with it."""
        try:
            private = load_pem_private_key(pem, password=None)
        except TypeError:
            raise ValueError("the key is encrypted; give it without a passphrase") from None
        except ValueError as exc:
            raise ValueError(f"not a PEM private key ({exc})") from None
        if isinstance(private, ec.EllipticCurvePrivateKey):
            if private.curve.name != "secp256r1":
                raise ValueError(
                    f"an EC key on {private.curve.name}; only P-256 (ES256) is supported"
                )
            return cls(ECKey.import_key(pem), "ES256")
        if isinstance(private, rsa.RSAPrivateKey):
            if private.key_size < MIN_RSA_BITS:
                raise ValueError(
                    f"an RSA key of {private.key_size} bits; at least {MIN_RSA_BITS} are needed"
                )
            return cls(RSAKey.import_key(pem), "RS256")
        raise ValueError(
            f"a {type(private).__name__}; an EC P-256 (ES256) or RSA (RS256) key is needed"
        )

    @classmethod
    def from_file(cls, path: str | Path) -> JwtSigner:
        """A signer of a PEM file; ValueError names the file and the problem."""
        try:
            pem = Path(path).read_bytes()
        except OSError as exc:
            raise ValueError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        try:
            return cls.from_pem(pem)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None

    def pem(self) -> bytes:
        """The private key as PKCS#8 PEM (what the store keeps)."""
        return self.key.as_pem(private=True)

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": self.algorithm, "typ": "JWT", "kid": self.kid}
        return jwt.encode(header, claims, self.key, algorithms=[self.algorithm])

    def jwks(self) -> dict[str, Any]:
        """The public JWK set served at ``/.well-known/jwks.json``."""
        public = self.key.as_dict(private=False)
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": self.algorithm}]}
