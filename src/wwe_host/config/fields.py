"""Field codes of web-content URLs: ``$Agent.UserName$``, ``$AttachedData.<key>$``...

Checked when the configuration is parsed (``split_template``) and filled when an app is
opened for an agent or an interaction (``expand_field_codes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import quote

__all__ = ["ATTACHED_DATA_PREFIX", "FIELD_CODES", "expand_field_codes", "split_template"]

# The fixed field codes of web-content URLs; `AttachedData.<key>` is the open-ended one.
FIELD_CODES: Final = (
    "Agent.UserName",
    "Agent.EmployeeId",
    "Agent.FullName",
    "Interaction.Id",
    "Interaction.CaseId",
    "Interaction.ANI",
    "Interaction.DNIS",
    "Interaction.UUID",
)
ATTACHED_DATA_PREFIX: Final = "AttachedData."

_FIELD_CODE_HELP: Final = (
    ", ".join(f"${code}$" for code in FIELD_CODES) + f", ${ATTACHED_DATA_PREFIX}<key>$"
)


def _field_code_error(name: str, extra: tuple[str, ...] = ()) -> str | None:
    if name in FIELD_CODES or name in extra:
        return None
    if name.startswith(ATTACHED_DATA_PREFIX) and name[len(ATTACHED_DATA_PREFIX) :].strip():
        return None
    if name.startswith(ATTACHED_DATA_PREFIX):
        return f"a key after ${ATTACHED_DATA_PREFIX}"
    return f"known field codes ({_FIELD_CODE_HELP}), not ${name}$"


def split_template(template: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Literal text at even indexes, field-code names at odd ones; raises ValueError.
    ``extra``: field codes known in this place only (``Dialog.Id`` in a dialog's URL)."""
    parts = template.split("$")
    if len(parts) % 2 == 0:
        raise ValueError("field codes as $Name$ (a '$' is unbalanced; write a literal $ as %24)")
    for name in parts[1::2]:
        problem = _field_code_error(name, extra)
        if problem is not None:
            raise ValueError(problem)
    return parts


def expand_field_codes(
    template: str,
    values: Mapping[str, str],
    *,
    extra: tuple[str, ...] = (),
    encode: bool = True,
) -> str:
    """Fill a web-content URL; values are keyed like ``Agent.UserName``, ``AttachedData.Key1``.

    Each value is URL-encoded as a whole (it may hold ``&`` or ``#``); a missing value is
    the empty string. The caller removes attached-data keys the read list does not allow.
    ``encode`` False fills text shown as text (a dialog's label) with the values as they are.
    """
    parts = split_template(template, extra)
    for index in range(1, len(parts), 2):
        value = values.get(parts[index], "")
        parts[index] = quote(value, safe="") if encode else value
    return "".join(parts)
