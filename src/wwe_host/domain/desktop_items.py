"""What frames put in the desktop beyond toasts: modal dialogs holding a frame
(``system.openDialog``) and items in the header's application menu bar
(``system.updateViewInApplicationMenuBar``). No I/O; the desktop is told by a snapshot."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, ErrorCode
from .effects import Effects
from .model import AgentSession, Dialog, MenuItem

DIALOG_ID_PREFIX = "wweCustomDialog"
# The section a dialog's frame registers with: "@dialog:<dialog id>" (core/frames.py).
DIALOG_SECTION_PREFIX = "@dialog:"
MAX_DIALOGS = 8  # open at once per session
MAX_MENU_ITEMS = 16  # per frame

MENU_ITEM_CLICK = "APPLICATION_MENU_BAR_VIEW_CLICK"
DIALOG_CLOSED = "CUSTOM_DIALOG_CLOSED"


def dialog_section(dialog_id: str) -> str:
    return f"{DIALOG_SECTION_PREFIX}{dialog_id}"


def open_dialog(fx: Effects, session: AgentSession, dialog: Dialog) -> str:
    """Open ``dialog`` (its id is given here) and return its id."""
    if len(session.dialogs) >= MAX_DIALOGS:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"The agent has {MAX_DIALOGS} dialogs open already (the limit); close one first.",
        )
    dialog.dialog_id = f"{DIALOG_ID_PREFIX}{session.next_dialog}"
    session.next_dialog += 1
    session.dialogs[dialog.dialog_id] = dialog
    fx.touch(session)
    fx.notify(session, "dialog", {"action": "open", "id": dialog.dialog_id}, ui_only=True)
    return dialog.dialog_id


def close_dialog(fx: Effects, session: AgentSession, dialog_id: str, by: str) -> bool:
    """Close a dialog (``by``: "frame" or "agent"); its opener hears of it."""
    dialog = session.dialogs.pop(dialog_id, None)
    if dialog is None:
        return False
    fx.touch(session)
    fx.notify(session, "dialog", {"action": "close", "id": dialog_id}, ui_only=True)
    if dialog.frame_id in session.frames:
        fx.notify(
            session,
            "system",
            {"eventType": DIALOG_CLOSED, "dialogId": dialog_id, "closedBy": by},
            frame_id=dialog.frame_id,
        )
    return True


def menu_key(frame_id: str, name: str) -> str:
    return f"{frame_id}\n{name}"


def update_menu_item(fx: Effects, session: AgentSession, item: MenuItem) -> None:
    key = menu_key(item.frame_id, item.name)
    if key not in session.menu_items:
        owned = sum(1 for i in session.menu_items.values() if i.frame_id == item.frame_id)
        if owned >= MAX_MENU_ITEMS:
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"This frame has {MAX_MENU_ITEMS} items in the menu bar already (the limit); "
                "close one first.",
            )
    session.menu_items[key] = item
    fx.touch(session)
    fx.notify(session, "menu", {"action": "update", "name": item.name}, ui_only=True)


def close_menu_item(fx: Effects, session: AgentSession, frame_id: str, name: str) -> bool:
    if session.menu_items.pop(menu_key(frame_id, name), None) is None:
        return False
    fx.touch(session)
    fx.notify(session, "menu", {"action": "close", "name": name}, ui_only=True)
    return True


def click_menu_item(fx: Effects, session: AgentSession, frame_id: str, name: str) -> bool:
    """The agent clicked an item: its owner frame hears it."""
    if menu_key(frame_id, name) not in session.menu_items:
        return False
    fx.notify(session, "system", {"eventType": MENU_ITEM_CLICK, "name": name}, frame_id=frame_id)
    return True


def frame_gone(fx: Effects, session: AgentSession, frame_id: str) -> None:
    """A frame closed or now shows another origin's document: its menu items go. (Dialogs
    it opened stay until they are closed: the dialog's own frame usually closes it.)"""
    for key in [k for k, i in session.menu_items.items() if i.frame_id == frame_id]:
        del session.menu_items[key]
        fx.notify(session, "menu", {"action": "close"}, ui_only=True)
    fx.touch(session)


def menu_item_wire(item: MenuItem) -> dict[str, Any]:
    return {
        "frameId": item.frame_id,
        "name": item.name,
        "label": item.label,
        "shortLabel": item.short_label,
        "iconUrl": item.icon_url,
        "tooltip": item.tooltip,
        "backgroundColor": item.background_color,
        "labelColor": item.label_color,
    }
