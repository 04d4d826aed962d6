"""Rules the core enforces that the web layer's REST schema states again (so that a body
the schema accepts is one the core accepts): re-exported here, so the web layer reads them
from the core, not from the domain or the API handlers."""

from __future__ import annotations

from ..api.context import MAX_KEY_LENGTH
from ..domain.model import EMAIL_ADDRESS_PATTERN, WHITESPACE

__all__ = ["EMAIL_ADDRESS_PATTERN", "MAX_KEY_LENGTH", "WHITESPACE"]
