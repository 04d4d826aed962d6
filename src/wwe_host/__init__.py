"""wwe-host: an open host for the Workspace Web Edition Service Client API."""

__version__ = "0.1.0"
