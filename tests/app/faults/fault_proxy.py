"""A TCP proxy in front of a real server (PostgreSQL, Redis) that a test switches between three states:

- `forward`: a plain pass-through;
- `hang()`: connections stay open but nothing is answered any more, and new ones are accepted and never
  answered (what a hung server, a stopped process or a black-holed network looks like to a client);
- `stop()`: the port refuses connections and the open ones are reset (a server that is down).

Real sockets, no mocks: the client libraries see exactly what they would see in production.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time

from app_servers import free_port

FORWARD, HUNG, STOPPED = "forward", "hung", "stopped"


class FaultProxy:
    def __init__(self, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.port = free_port()
        self.state = FORWARD
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._closed = False
        self._listen()

    @property
    def url_host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(512)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _serve(self, client: socket.socket) -> None:
        while self.state == HUNG:  # accepted, never answered
            time.sleep(0.02)
        if self.state != FORWARD:
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        self._track(upstream)
        self._pump(client, upstream)

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        pairs = {client: upstream, upstream: client}
        try:
            while self.state != STOPPED:
                if self.state == HUNG:  # stop reading: the bytes wait in the kernel, nothing is answered
                    time.sleep(0.02)
                    continue
                readable, _, _ = select.select(list(pairs), [], [], 0.05)
                if self.state != FORWARD:  # hung while waiting: forward nothing more
                    continue
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pairs[sock].sendall(data)
        except (OSError, ValueError):  # a socket closed under us by stop() or forward()
            return
        finally:
            for sock in pairs:
                with contextlib.suppress(OSError):
                    sock.close()

    def _drop_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                sock.close()  # linger 0: a reset, as when the server's host goes away

    def hang(self) -> None:
        self.state = HUNG

    def stop(self) -> None:
        self.state = STOPPED
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._drop_all()

    def forward(self) -> None:
        """Back to normal. Connections left hung are dropped first, as a server restart would."""
        if self.state == HUNG:  # drop them before anything can flow again
            self.state = STOPPED
            self._drop_all()
        self.state = FORWARD
        if self._listener is None and not self._closed:
            self._listen()

    def close(self) -> None:
        self._closed = True
        self.stop()


class Blackhole:
    """A port that accepts connections and never answers (a hung dependency that was never up)."""

    def __init__(self) -> None:
        self._proxy = FaultProxy(upstream_port=free_port())
        self._proxy.hang()
        self.port = self._proxy.port

    def close(self) -> None:
        self._proxy.close()
