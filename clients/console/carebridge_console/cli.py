"""`carebridge-console`: run the console.

    carebridge-console dev      the embedded stack (as `carebridge dev`) and the console on :8000 (`make run`)
    carebridge-console serve    the console alone, on the services named by PATIENTS_URL ... NOTIFICATIONS_URL

In production the console runs under gunicorn: `carebridge_console.wsgi:app`.
"""
from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path

from werkzeug.serving import make_server

DEFAULT_PORT = 8000


class ConsoleServer:
    """The console on a port, served by threads (in-process, for `dev` and the browser tests)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = DEFAULT_PORT):
        self.server = make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="console-http", daemon=True)

    def start(self) -> "ConsoleServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()


def _wait_for_stop() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass


def dev(data_dir: str, host: str, port: int, port_offset: int = 0) -> None:
    import os

    from carebridge import clock, logs
    from carebridge.config import SERVICE_PORTS, Settings
    from carebridge.runtime.dev import DevStack

    from .app import create_app
    settings = Settings.from_env("dev")
    logs.configure("dev", settings.log_level, settings.log_json)
    clock.configure(settings.clock)
    ports = {name: number + port_offset for name, number in SERVICE_PORTS.items()}
    stack = DevStack(data_dir=Path(data_dir), host=host, ports=ports)
    if not stack.services:
        raise SystemExit("no CareBridge service is installed; run `make run` from the repository root")
    stack.start()
    for name, number in ports.items():   # the console calls the services where this stack put them
        os.environ.setdefault(f"{name.upper()}_URL", f"http://{host}:{number}")
    console = ConsoleServer(create_app(), host, port + port_offset).start()
    print(stack.banner(), flush=True)
    print(f"  The coordinator console: {console.url}    (sign in as anyone in the staff directory)\n", flush=True)
    try:
        _wait_for_stop()
    finally:
        console.stop()
        stack.stop()


def serve(host: str, port: int) -> None:
    from .app import create_app
    logging.basicConfig(level=logging.INFO)
    console = ConsoleServer(create_app(), host, port).start()
    print(f"The coordinator console: {console.url}", flush=True)
    try:
        _wait_for_stop()
    finally:
        console.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="carebridge-console", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dev", help="the embedded stack and the console (make run)")
    p.add_argument("--data-dir", default="data")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--port-offset", type=int, default=0,
                   help="move every port (services 8001.. and the console) up by this much")
    p = sub.add_parser("serve", help="the console alone")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    if args.command == "dev":
        dev(args.data_dir, args.host, args.port, args.port_offset)
    else:
        serve(args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
