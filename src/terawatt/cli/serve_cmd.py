"""``terawatt serve``: the local web explorer (FastAPI on uvicorn), bound to loopback by default.

The command checks its options and binds the socket *before* it imports FastAPI or loads a
model, so a bad option or a port in use is one line on stderr and exit code 2. The
application is :func:`terawatt.web.app.create_app`; Ctrl-C stops the server (exit code 0: the
server writes nothing, so there is nothing to interrupt).
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from terawatt.errors import UserError

#: Default address: loopback, so only this machine can reach the server (it runs models for
#: anyone who can).
DEFAULT_HOST = "127.0.0.1"
#: Default port: uvicorn's and FastAPI's own default, so the usual URL works.
DEFAULT_PORT = 8000
#: Highest TCP port.
PORT_MAX = 65535

HostOpt = Annotated[str, typer.Option(
    "--host", help="Address to listen on (default loopback only; 0.0.0.0 exposes the server to "
    "the network).")]
PortOpt = Annotated[int, typer.Option("--port", help=f"TCP port, 1..{PORT_MAX}.")]
RunsOpt = Annotated[Path, typer.Option(
    "--runs", help="Folder whose run folders the Runs page lists (read only).")]


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; UserError naming the option if that fails."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UserError(f"--host: value {host!r}: not an address of this machine ({exc}); "
                        f"allowed: an IP address or host name, e.g. {DEFAULT_HOST}") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen()
    except OSError as exc:
        sock.close()
        why = exc.strerror or type(exc).__name__
        raise UserError(f"--port: value {port} on {host}: cannot listen ({why}); allowed: a "
                        "free port (another server may be using it)") from None
    sock.set_inheritable(True)
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    *,
    host: HostOpt = DEFAULT_HOST,
    port: PortOpt = DEFAULT_PORT,
    runs: RunsOpt = Path("runs"),
) -> None:
    """Serve the web explorer: scenarios with sliders, claims, run folders, a JSON API."""
    if not 1 <= port <= PORT_MAX:
        raise UserError(f"--port: value {port}; allowed: a TCP port 1..{PORT_MAX}")
    if runs.exists() and not runs.is_dir():
        raise UserError(f"--runs: value {str(runs)!r} is a file; allowed: a folder of run "
                        "folders (it need not exist yet)")
    sock = _bind(host, port)
    import uvicorn

    from terawatt.web.app import create_app

    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"terawatt serve: http://{shown}:{port}/ (runs from {runs}); Ctrl-C stops\n")
    if not _is_loopback(host):
        sys.stderr.write(f"warning: listening on {host}, not loopback: anyone who can reach "
                         "this port can run the models\n")
    config = uvicorn.Config(create_app(runs), log_level="warning")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then re-raised the Ctrl-C
        sys.stderr.write("terawatt serve: stopped\n")
    finally:
        sock.close()
