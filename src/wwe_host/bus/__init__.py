"""Event buses: how server processes tell each other what they committed (core/ports.py)."""
