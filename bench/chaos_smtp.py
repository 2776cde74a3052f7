"""A mail server for the chaos scenario that records each message's Message-ID and can be told to hang (accept
connections and never answer), like an overloaded or broken relay. Test equipment, not part of Kelisim."""

import re
import socketserver
import threading
import time

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server = self.server.owner
        while server.hang:
            time.sleep(0.2)  # the client's timeout ends this
        self.reply("220 chaos ESMTP")
        for raw in self.rfile:
            command = raw.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.reply("250 chaos")
            elif command == b"DATA":
                self.reply("354 go ahead")
                server.receive(self.read_message())
                self.reply("250 queued")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def read_message(self) -> bytes:
        lines = []
        for raw in self.rfile:
            if raw in (b".\r\n", b".\n"):
                break
            lines.append(raw)
        return b"".join(lines)


class _Threaded(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSmtpServer:
    def __init__(self):
        self.hang = False
        self.message_ids: list[str] = []
        self.lock = threading.Lock()
        self.server = _Threaded(("127.0.0.1", 0), _Session)
        self.server.owner = self
        self.port = self.server.server_address[1]

    def receive(self, message: bytes) -> None:
        found = MESSAGE_ID.search(message)
        with self.lock:
            self.message_ids.append(found.group(1).decode() if found else "(none)")

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
