"""Component resources: ``Server`` (an instance with its extras) and ``Fleet``."""

from .server import SERVER_TYPE, Server

__all__ = ["SERVER_TYPE", "Server"]
