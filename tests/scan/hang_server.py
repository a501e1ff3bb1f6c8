"""A git server that never answers: accepts HTTP connections on 127.0.0.1 and stays silent.

Run as a script (a process of its own, so the tests fork no threads). It prints the port, then
``open`` for each connection and ``closed`` when the client goes away: a killed ``git clone``
shows up as ``closed``, a git left running after its timeout would not.
"""

from __future__ import annotations

import selectors
import socket
import sys


def main() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    print(server.getsockname()[1], flush=True)
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            if sock is server:
                conn, _ = server.accept()
                sel.register(conn, selectors.EVENT_READ)
                print("open", flush=True)
            elif not sock.recv(65536):
                sel.unregister(sock)
                sock.close()
                print("closed", flush=True)


if __name__ == "__main__":
    sys.exit(main())
