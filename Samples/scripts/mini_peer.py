#!/usr/bin/env python3
"""A minimal RFC 6455 peer written with the Python standard library only (no dependencies).

It is deliberately lenient, like many hand-written clients: it checks the Accept key but not the header syntax.
Used by the live-capture test and by the tutorial-server samples.

  mini_peer.py server --port P --log FILE            echo server (one connection)
  mini_peer.py client --port P --log FILE [--upgrade-token WebSocket] [--messages a,b,c]

Log lines are JSON as in py_peer.py: {"peer": ..., "kind": "text"|"close", "text"|"code"/"reason": ...}.
"""
import argparse
import base64
import hashlib
import json
import os
import socket
import struct
import sys

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def log(path, peer, **entry):
    with open(path, "a") as f:
        f.write(json.dumps({"peer": peer, **entry}, ensure_ascii=False) + "\n")


def accept_for(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during handshake")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def frame(opcode, payload, mask):
    first = 0x80 | opcode
    length = len(payload)
    mask_bit = 0x80 if mask else 0
    if length <= 125:
        header = struct.pack("!BB", first, mask_bit | length)
    elif length <= 0xFFFF:
        header = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, length)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class Reader:
    def __init__(self, sock, rest=b""):
        self.sock = sock
        self.buffer = rest

    def take(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def frame(self):
        b0, b1 = self.take(2)
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack("!H", self.take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self.take(8))[0]
        key = self.take(4) if b1 & 0x80 else None
        payload = self.take(length)
        if key:
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        return b0 & 0x0F, payload


def server(args):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1)
    listener.settimeout(30)
    print("ready", flush=True)
    sock, _ = listener.accept()
    sock.settimeout(30)
    head, rest = read_head(sock)
    key = next(line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("sec-websocket-key:"))
    sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Accept: {accept_for(key)}\r\n\r\n").encode())
    reader = Reader(sock, rest)
    while True:
        opcode, payload = reader.frame()
        if opcode == 0x8:
            code, reason = (struct.unpack("!H", payload[:2])[0], payload[2:].decode()) if len(payload) >= 2 else (None, "")
            log(args.log, "server", kind="close", code=code, reason=reason)
            sock.sendall(frame(0x8, payload, mask=False))
            break
        if opcode == 0x9:
            sock.sendall(frame(0xA, payload, mask=False))
            continue
        log(args.log, "server", kind="text", text=payload.decode())
        sock.sendall(frame(opcode, payload, mask=False))
    sock.close()


def client(args):
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /{args.path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nUpgrade: {args.upgrade_token}\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    sock.sendall(request.encode())
    try:
        head, rest = read_head(sock)
    except ConnectionError as error:
        log(args.log, "client", kind="refused", reason=str(error))
        return
    status = head.split("\r\n", 1)[0]
    if " 101 " not in status + " ":
        log(args.log, "client", kind="refused", reason=status)
        return
    reader = Reader(sock, rest)
    for text in args.messages.split(","):
        log(args.log, "client", kind="text", text=text)
        sock.sendall(frame(0x1, text.encode(), mask=True))
        reader.frame()
    log(args.log, "client", kind="close", code=1000, reason="done")
    sock.sendall(frame(0x8, struct.pack("!H", 1000) + b"done", mask=True))
    try:
        reader.frame()
    except ConnectionError:
        pass
    sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--path", default="")
    parser.add_argument("--upgrade-token", default="websocket")
    parser.add_argument("--messages", default="hello,world")
    args = parser.parse_args()
    (server if args.role == "server" else client)(args)


if __name__ == "__main__":
    main()
