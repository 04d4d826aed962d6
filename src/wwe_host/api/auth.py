"""auth.*: a JWT for the frame's own back end (api-9.md)."""

from __future__ import annotations

import uuid
from typing import Any

from .context import RequestContext, arity, handler


@handler("auth.getJwtToken")
def get_jwt_token(call: RequestContext, params: list[Any]) -> Any:
    """A signed JWT saying who the agent is, for the frame's origin (its audience); its
    back end verifies it with the keys at ``/.well-known/jwks.json``."""
    arity(call, params, 0)
    config = call.engine.config
    agent = call.engine.agent(call.session.username)
    now = int(call.engine.now())
    audience = call.frame.record.origin if call.frame is not None else config.server.public_origin
    claims = {
        "iss": config.server.public_url,
        "sub": agent.username,
        "aud": audience,
        "iat": now,
        "exp": now + config.server.jwt_lifetime,
        "jti": uuid.uuid4().hex,
        "name": agent.full_name,
        "employeeId": agent.employee_id,
        "roles": list(agent.roles),
    }
    return call.engine.sign_jwt(claims)
