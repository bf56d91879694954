#!/usr/bin/env python3
"""A WebSocket client on `openssl s_client` that sends TLS 1.3 KeyUpdate messages between its messages.

Usage:
  keyupdate_client.py --port 18470 --cafile cert.pem --keylog NAME.keys --log NAME.log.jsonl

Python's ssl module cannot send a KeyUpdate, but s_client can: a line "k" on its standard input sends one
(update_not_requested), a line "K" sends one that asks the peer to update its keys too (update_requested); each goes
out just before the next application data s_client writes. So this script drives s_client through a pipe: it writes
the HTTP upgrade request and hand-built, masked RFC 6455 frames (one write each, so that s_client encrypts each as
one record and sees each "k"/"K" line on its own) and reads the server's answers from s_client's output (-quiet: only
the application data). s_client writes the key log itself (-keylogfile).

The log records what this client sent, in py_peer.py's format, plus {"kind": "key-update", ...} at the place where
a KeyUpdate was asked for. The server is py_peer.py (an echo server), which logs its own side.
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import threading
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Log:
    def __init__(self, path):
        self.path = path

    def write(self, **entry):
        with open(self.path, "a") as f:
            f.write(json.dumps({"peer": "client", **entry}, ensure_ascii=False) + "\n")


def masked_frame(opcode, payload):
    """One final client frame: FIN, the opcode, the mask bit, the length (7 or 16 bits), a random key, the payload
    XORed with the key."""
    key = os.urandom(4)
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    else:
        header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def server_frame(opcode, payload):
    """The unmasked frame an echo server sends back (to know when it has arrived)."""
    length = bytes([len(payload)]) if len(payload) < 126 else bytes([126]) + len(payload).to_bytes(2, "big")
    return bytes([0x80 | opcode]) + length + payload


class SClient:
    """openssl s_client with a pipe on each side; what it prints is gathered by a thread."""

    def __init__(self, port, cafile, keylog):
        self.process = subprocess.Popen(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-CAfile", cafile,
             "-keylogfile", keylog, "-quiet", "-no_ign_eof"],   # quiet output, but the k/K commands stay on
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.received = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._gather, daemon=True).start()

    def _gather(self):
        while chunk := self.process.stdout.read1(65536):
            with self.lock:
                self.received += chunk

    def send(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()
        time.sleep(0.15)            # s_client must read each write on its own (a command letter must start a read)

    def expect(self, data, timeout=10):
        """Waits until `data` has arrived (after what was expected before)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                at = self.received.find(data)
                if at >= 0:
                    self.received = self.received[at + len(data):]
                    return
            time.sleep(0.01)
        raise SystemExit(f"keyupdate client: timed out waiting for {data[:40]!r}")

    def finish(self):
        self.process.stdin.close()           # end of input: s_client sends close_notify and exits
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise SystemExit("keyupdate client: s_client did not exit")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--keylog", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    log = Log(args.log)
    client = SClient(args.port, args.cafile, args.keylog)

    # The opening handshake, by hand.
    key = base64.b64encode(os.urandom(16))
    client.send(b"GET /keyupdate HTTP/1.1\r\n"
                + f"Host: 127.0.0.1:{args.port}\r\n".encode()
                + b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    client.expect(b"Sec-WebSocket-Accept: " + accept)
    client.expect(b"\r\n\r\n")

    def message(opcode, payload):
        if opcode == 1:
            log.write(kind="text", text=payload.decode())
        else:
            log.write(kind="binary", hex=payload.hex())
        client.send(masked_frame(opcode, payload))
        client.expect(server_frame(opcode, payload))

    def key_update(request_update):
        log.write(kind="key-update", request_update=request_update)
        client.send(b"K\n" if request_update else b"k\n")

    message(1, "before any key update".encode())
    key_update(False)                                   # the client's keys move to generation 1
    message(1, "after the client's key update".encode())
    message(2, bytes([0x00, 0x01, 0xFE, 0xFF]))
    key_update(True)                                    # the client's keys to generation 2, and the server's to 1
    message(1, "after both sides' key updates, 你好".encode())
    message(1, ("a longer message after the key updates: " + "0123456789" * 20).encode())
    log.write(kind="ping", hex=b"still there?".hex())
    client.send(masked_frame(9, b"still there?"))
    client.expect(server_frame(10, b"still there?"))
    log.write(kind="close", code=1000, reason="bye")
    client.send(masked_frame(8, (1000).to_bytes(2, "big") + b"bye"))
    client.expect(b"\x88")                               # the server's Close
    client.finish()


if __name__ == "__main__":
    main()
