"""The core's ports and their default adapters (see docs/architecture.md)."""
