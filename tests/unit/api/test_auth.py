"""auth.getJwtToken (api-9.md): a JWT for the frame's back end, signed with the server's
key (ES256 by default), verified here with PyJWT from the engine's JWK set."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from engine_support import CRM, DIALER, Agent, make_config, started_engine

from wwe_host.core.time import ManualClock

FULL_TABS = "service-client-api.workspace-web-content.dial-only = false"


def verify(token: str, jwks: dict[str, object], audience: str, at: float) -> dict[str, object]:
    [key] = jwt.PyJWKSet.from_dict(jwks).keys
    header = jwt.get_unverified_header(token)
    assert header["kid"] == key.key_id
    claims: dict[str, object] = jwt.decode(
        token,
        key,
        algorithms=["ES256", "RS256"],
        audience=audience,
        issuer="http://127.0.0.1:8080",
        options={"verify_exp": False, "verify_iat": False},
    )
    assert isinstance(claims["iat"], int) and claims["iat"] == int(at)
    return claims


async def test_token_claims_and_signature(tmp_path: Path) -> None:
    clock = ManualClock(1_800_000_000.0)
    config = make_config(extra=FULL_TABS, server="jwt-lifetime = 120")
    engine = await started_engine(tmp_path, config, clock=clock)
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    token = await agent.ok(dialer, "auth.getJwtToken")
    assert isinstance(token, str) and token.count(".") == 2
    jwks = engine.jwks()
    assert jwks["keys"][0]["alg"] == "ES256" and jwks["keys"][0]["kty"] == "EC"
    assert "d" not in jwks["keys"][0]  # never the private part
    claims = verify(token, jwks, DIALER, clock())
    assert claims == {
        "iss": "http://127.0.0.1:8080",
        "sub": "jdoe",
        "aud": DIALER,
        "iat": 1_800_000_000,
        "exp": 1_800_000_120,
        "jti": claims["jti"],
        "name": "John Doe",
        "employeeId": "1001",
        "roles": ["ROLE_AGENT", "ROLE_ADMIN"],
    }
    # Each token has its own id; the audience is the asking frame's origin.
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, iid)
    other = await agent.ok(crm, "auth.getJwtToken")
    other_claims = verify(other, jwks, CRM, clock())
    assert other_claims["aud"] == CRM and other_claims["jti"] != claims["jti"]
    with pytest.raises(jwt.InvalidAudienceError):
        verify(other, jwks, DIALER, clock())
    assert (await agent.fails(dialer, "auth.getJwtToken", "x"))["errorCode"] == (
        "INVALID_PARAMETER"
    )
    await engine.stop()


async def test_default_lifetime_and_the_key_survives_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(1_800_000_000.0)
    engine = await started_engine(tmp_path, make_config(extra=FULL_TABS), clock=clock)
    agent = await Agent.login(engine)
    token = await agent.ok(await agent.frame("Dialer", DIALER), "auth.getJwtToken")
    first_keys = engine.jwks()
    assert verify(token, first_keys, DIALER, clock())["exp"] == 1_800_000_300
    await engine.stop()
    again = await started_engine(tmp_path, make_config(extra=FULL_TABS), clock=clock)
    assert again.jwks() == first_keys  # kept in the store, not made again
    verify(token, again.jwks(), DIALER, clock())
    await again.stop()


async def test_a_pem_file_gives_the_key(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = tmp_path / "jwt.pem"
    path.write_bytes(pem)
    config = make_config(extra=FULL_TABS, server=f"jwt-signing-key = {path}")
    clock = ManualClock(1_800_000_000.0)
    engine = await started_engine(tmp_path, config, clock=clock)
    agent = await Agent.login(engine)
    token = await agent.ok(await agent.frame("Dialer", DIALER), "auth.getJwtToken")
    jwks = engine.jwks()
    assert jwks["keys"][0]["alg"] == "RS256" and jwks["keys"][0]["kty"] == "RSA"
    assert verify(token, jwks, DIALER, clock())["sub"] == "jdoe"
    assert await engine.store.signing_key() is None  # nothing made nor kept
    await engine.stop()
