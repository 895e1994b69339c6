#!/usr/bin/env python3
"""A hostile Docker Engine API for bench/hostile.sh: a unix socket that answers every request
with `200 OK`, JSON headers and a body that never ends (no Content-Length, never closed).

A client without a response size cap reads it until memory runs out; one with a cap must stop
and say the answer was too large. The server writes until the client hangs up; it serves each
connection in a thread and runs until it is killed.

usage: bench/endless-engine.py SOCKET
"""

import os
import socket
import sys
import threading

HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    b"Api-Version: 1.41\r\n"
    b"Server: Docker/20.10.24 (linux)\r\n"
    b"\r\n"
)
# The start of a plausible answer, then a string that never closes.
OPEN = b'[{"Id":"'
CHUNK = b"a" * 65536


def serve(conn: socket.socket) -> None:
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            got = conn.recv(65536)
            if not got:
                return
            data += got
        conn.sendall(HEAD + OPEN)
        while True:
            conn.sendall(CHUNK)
    except OSError:
        pass  # the client hung up: what a capped client does
    finally:
        conn.close()


def main() -> int:
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
