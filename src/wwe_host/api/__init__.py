"""The Service Client API: one module per namespace, all registered in ``HANDLERS``.

A handler takes the request context (``RequestContext``) and the positional parameters,
validates them before it changes anything, and returns the reply's ``data``.
"""

from __future__ import annotations

from . import (
    agent,
    auth,
    configuration,
    email,
    interaction,
    media,
    messenger,
    outbound,
    system,
    voice,
)
from .context import HANDLERS, Handler, RequestContext

__all__ = [
    "HANDLERS",
    "Handler",
    "RequestContext",
    "agent",
    "auth",
    "configuration",
    "email",
    "interaction",
    "media",
    "messenger",
    "outbound",
    "system",
    "voice",
]
