"""Where the service listens by default, and ``HOST:PORT`` parsing.

Apart from ``runner`` so that ``zmconsole --help`` (which shows the defaults) imports no service code.
"""

from __future__ import annotations

from zmconsole.core.errors import InputError

DEFAULT_LISTEN = ("127.0.0.1", 8443)
DEFAULT_HTTP_LISTEN = ("127.0.0.1", 8080)


def parse_address(text: str, what: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[IPv6]:PORT`` (port 0: any free port) into ``(host, port)``."""
    host, sep, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise InputError(f"{what} {text!r} is not HOST:PORT: use for example 127.0.0.1:8443 or [::1]:8443.")
    return host, int(port)
