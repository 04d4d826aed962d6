"""email.*: a new outbound e-mail, opened in the desktop's composer."""

from __future__ import annotations

from typing import Any

from ..domain.model import is_email_address
from ..errors import ApiError, ErrorCode
from .context import RequestContext, arity, handler, string, user_data


@handler("email.create")
def create(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    destination = string(call, params, 0, "destination", max_length=320).strip()
    if not is_email_address(destination):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 1 'destination' of 'email.create' is not an e-mail address: "
            f"'{destination}'.",
        )
    values = user_data(call, params, 1, "userData", required=False)
    created = call.engine.contact_center.create_email(call.fx, call.session, destination, values)
    return {"interactionId": created.interaction_id}
