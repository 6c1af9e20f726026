"""``zmconsole serve``: run the provisioning service in the foreground until SIGTERM or SIGINT.

The parser is built for every command, so the service itself is imported only when ``serve`` runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from zmconsole.cli.context import Context
from zmconsole.service.addresses import DEFAULT_HTTP_LISTEN, DEFAULT_LISTEN, parse_address


def _address(address: tuple[str, int]) -> str:
    return f"{address[0]}:{address[1]}"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``serve`` (the command itself is named by zmconsole.cli.main)."""
    p.add_argument("--listen", metavar="HOST:PORT", default=_address(DEFAULT_LISTEN),
                   help=f"HTTPS address (default {_address(DEFAULT_LISTEN)}; port 0: any free port)")
    p.add_argument("--http-listen", metavar="HOST:PORT", default=_address(DEFAULT_HTTP_LISTEN),
                   help=f"plain-HTTP address for /crl and /ocsp (default {_address(DEFAULT_HTTP_LISTEN)})")
    p.add_argument("--hostname", metavar="NAME",
                   help="host name in the service's certificate (default: the provisioning URL's, else localhost)")
    p.add_argument("--ready-file", metavar="FILE",
                   help="write the ports and URLs as JSON to FILE once the service answers (for scripts)")
    p.set_defaults(handler="serve_command:serve")


def serve(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.service.runner import ProvisioningService, ServiceConfig

    config = ServiceConfig(listen=parse_address(args.listen, "--listen"),
                           http_listen=parse_address(args.http_listen, "--http-listen"), hostname=args.hostname)
    _log_requests()
    service = ProvisioningService(ctx.store, ctx.unlock(), config)
    return service.run(ready_file=Path(args.ready_file) if args.ready_file else None)


def _log_requests() -> None:
    """One line per request on stderr, with a timestamp; the handlers never put a secret in it."""
    logger = logging.getLogger("zmconsole.service")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s zmconsole serve: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
