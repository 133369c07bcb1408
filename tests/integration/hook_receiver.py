"""A partner's webhook endpoint on loopback that records every POST and answers as told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Post:
    key: str
    body: bytes
    status: int


@dataclass
class Hook:
    url: str = ""
    #: what the next POST is answered with
    status: int = 204
    posts: list[Post] = field(default_factory=list)
    #: set at the first POST
    first: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keys(self) -> set[str]:
        with self.lock:
            return {p.key for p in self.posts}


@contextmanager
def hook_receiver(status: int = 204) -> Iterator[Hook]:
    state = Hook(status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                answer = state.status
                state.posts.append(Post(self.headers.get("Idempotency-Key", ""), body, answer))
            state.first.set()
            self.send_response(answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        yield state
    finally:
        server.shutdown()
