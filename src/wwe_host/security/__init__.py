"""The security policy: origins and filters, rate limits, attached-data lists, passwords.

Pure functions and data only, so the dispatcher, the config checker and the tests share one
implementation of every rule.
"""

from wwe_host.security.origins import (
    OriginEntry,
    OriginPolicy,
    OriginPolicyError,
    frame_allowed,
    normalize_origin,
    not_allowed_message,
)
from wwe_host.security.passwords import hash_password, is_hashed, validate_hash, verify_password
from wwe_host.security.ratelimit import (
    Decision,
    RateLimiter,
    RateLimitPolicy,
    rate_limit_message,
)
from wwe_host.security.userdata import KeyList

__all__ = [
    "Decision",
    "KeyList",
    "OriginEntry",
    "OriginPolicy",
    "OriginPolicyError",
    "RateLimitPolicy",
    "RateLimiter",
    "frame_allowed",
    "hash_password",
    "is_hashed",
    "normalize_origin",
    "not_allowed_message",
    "rate_limit_message",
    "validate_hash",
    "verify_password",
]
