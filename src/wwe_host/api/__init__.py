"""The Service Client API: one module per namespace, all registered in ``HANDLERS``.

A handler takes the call context and the positional parameters, validates them before it
changes anything, and returns the reply's ``data``.
"""

from __future__ import annotations

from . import agent, email, interaction, media, system, voice
from .context import HANDLERS, Call, Handler

__all__ = [
    "HANDLERS",
    "Call",
    "Handler",
    "agent",
    "email",
    "interaction",
    "media",
    "system",
    "voice",
]
