"""Debian's nginx as the central server of the acceptance tests: mutual TLS with our CA and CRL, reloadable.

Run in the foreground (``daemon off;``) as ``nginx -p DIR -c DIR/nginx.conf`` with every path inside DIR, on a
free 127.0.0.1 port, with a master process so that ``nginx -s reload`` re-reads the CRL the way an
administrator's reload would.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.tls import NGINX_CONF, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TIMEOUT = 20.0

# The shared nginx configuration (tests/support/tls.py), with a master process so that it can reload.
CONF = NGINX_CONF.replace("master_process off;\n", "")
assert CONF != NGINX_CONF, "tests/support/tls.py's nginx configuration changed: update the reload test"


@dataclass(frozen=True)
class Nginx:
    root: Path
    conf: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    def log(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def reload(self) -> None:
        """``nginx -s reload``: the master re-reads the configuration, CRL included, and replaces its workers."""
        done = subprocess.run([NGINX, "-p", str(self.root), "-c", str(self.conf), "-s", "reload"],
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
        assert done.returncode == 0, done.stderr + self.log()


@contextmanager
def nginx(root: Path, *, cert: Path, key: Path, password_file: Path, ca: Path, crl: Path,
          verify_depth: int | None = None) -> Iterator[Nginx]:
    """nginx requiring client certificates from ``ca``, checked against ``crl``, until the block ends.

    ``verify_depth`` (``ssl_verify_depth``; nginx's default is 1) lets a client's chain pass through an issuing
    CA to a root given as ``ca``.
    """
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = root / "nginx.conf"
    text = CONF.format(root=root, port=port, server_name="127.0.0.1", cert=cert, key=key,
                       password_file=password_file, ca=ca, crl=crl)
    if verify_depth is not None:
        text = text.replace("ssl_verify_client on;", f"ssl_verify_client on;\n        ssl_verify_depth {verify_depth};")
    conf.write_text(text)
    process = subprocess.Popen([NGINX, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Nginx(root, conf, port, process)
    try:
        _wait_listening(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful shutdown of master and workers
            try:
                process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_listening(server: Nginx) -> None:
    deadline = time.monotonic() + TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise AssertionError(f"nginx exited with {server.process.returncode}: {server.log()}")
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nginx did not listen on {server.port}: {server.log()}") from None
            time.sleep(0.05)
