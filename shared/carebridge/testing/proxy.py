"""A TCP proxy the tests can cut and restore, to take a broker (or a
database) away from a process without touching the real server, which other
test runs may share."""
from __future__ import annotations

import selectors
import socket
import threading


class CuttableProxy:
    def __init__(self, upstream_host: str, upstream_port: int, listen_host: str = "127.0.0.1", listen_port: int = 0):
        self.upstream = (upstream_host, upstream_port)
        self.listen_host = listen_host
        self.port = listen_port
        self._listener: socket.socket | None = None
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._running = False
        self.connections_made = 0

    def start(self) -> "CuttableProxy":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.listen_host, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._running = True
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="proxy-accept").start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while self._running:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.add((client, server))
                self.connections_made += 1
            threading.Thread(target=self._pump, args=(client, server), daemon=True, name="proxy-pump").start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, server)
        selector.register(server, selectors.EVENT_READ, client)
        try:
            while True:
                for key, _ in selector.select(timeout=1.0):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
                with self._lock:
                    if (client, server) not in self._pairs:
                        return
        except OSError:
            return
        finally:
            selector.close()
            self._close_pair((client, server))

    def _close_pair(self, pair) -> None:
        with self._lock:
            self._pairs.discard(pair)
        for sock in pair:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def cut(self) -> None:
        """The server is gone: existing connections drop, new ones are refused."""
        self._running = False
        if self._listener is not None:
            try:
                # close() alone does not wake a thread blocked in accept(),
                # and the kernel would keep accepting for it.
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            self._close_pair(pair)

    def drop_connections(self) -> None:
        """Connections are closed under their owners; reconnecting works at once."""
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            self._close_pair(pair)

    def restore(self) -> None:
        self.start()

    def url(self, template_url: str) -> str:
        """`template_url` with its host and port replaced by the proxy's."""
        from urllib.parse import urlsplit, urlunsplit
        parts = urlsplit(template_url)
        userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{userinfo}{self.listen_host}:{self.port}"))

    def close(self) -> None:
        self.cut()
