"""The embedded contact center (backend.py), its far-end controls (controls.py) and the
state it keeps with a session (far_ends.py)."""

from .backend import Simulator, new_call_uuid
from .controls import SimulatorControls

__all__ = ["Simulator", "SimulatorControls", "new_call_uuid"]
