"""Real servers the delivery tests talk to: an SMTP server (aiosmtpd) and an
HTTP receiver (webhooks, the SMS gateway), each recording what it got."""
from __future__ import annotations

import email
import json
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpRecorder:
    """Accepts mail like a real server; `refuse` maps an address to the
    SMTP reply to give it instead (a bounce, or a temporary failure)."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.refuse: dict[str, str] = {}
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if m["To"] == address]

    def reset(self) -> None:
        self.messages.clear()
        self.refuse.clear()

    def start(self) -> "SmtpRecorder":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


class HttpRecorder:
    """Records every POST; answers with `status` (or what `respond(request)`
    returns: (status, body) or (status, body, headers)), as a webhook
    receiver or an SMS gateway would. With `tls` (a server SSLContext) it
    speaks https, and records the name each client asked for (SNI)."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.requests: list[dict] = []
        self.server_names: list[str | None] = []
        self.status = 200
        self.respond = None
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = {"path": self.path, "headers": dict(self.headers), "body": body}
                status, answer, *extra = recorder.respond(request) if recorder.respond else (recorder.status,
                                                                                             {"id": "gw-1"})
                recorder.requests.append({**request, "status": status})
                payload = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        if tls is not None:
            tls.sni_callback = lambda tls_socket, server_name, context: self.server_names.append(server_name)
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"

    def reset(self) -> None:
        self.requests.clear()
        self.server_names.clear()
        self.status = 200
        self.respond = None

    def start(self) -> "HttpRecorder":
        threading.Thread(target=self._server.serve_forever, daemon=True, name="http-recorder").start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
