#!/usr/bin/env python3
"""A deliberately misbehaving WebSocket client and server (Python standard library only) for violations.pcap.

  violations_peers.py server --port P --log FILE
  violations_peers.py client --port P --log FILE

The opening handshake is real and correct (an HTTP/1.1 Upgrade request with a random 16-byte key, a 101 with the
right Sec-WebSocket-Accept, no extension and no subprotocol). After it, both peers play the same script, STEPS, in
lock step: on its own step a peer writes the frame's bytes exactly as the step says (one write, TCP_NODELAY, so one
frame per TCP segment); on the other peer's step it reads one frame, checks that it arrived as written, prints it
and carries on. Neither side enforces RFC 6455 or fails the connection: the point is that the capture holds the
frame- and message-level violations, each in its own frame, between a few correct frames.

The log (JSON Lines, as py_peer.py's) has one entry per frame written, in order, with the usual fields
  {"peer": ..., "kind": "text", "text": ...}       (a text message that is valid UTF-8)
  {"peer": ..., "kind": "text", "hex": ...}        (a text message that is not valid UTF-8: its bytes)
  {"peer": ..., "kind": "ping" | "pong" | "continuation" | "frame", "hex": ...}
  {"peer": ..., "kind": "close", "code": ..., "reason": ...}   (or "reason_hex" when the reason is not UTF-8)
and, for every frame, what its header says ("fin", "rsv1", "opcode", "masked", "length_form"), the unmasked payload
("payload_hex"), the exact bytes written ("wire_hex", mask key included), the wsinspect rule ids the frame (or the
message it belongs to) must raise ("expect", empty for a correct frame) and a sentence saying what the bytes claim
("claim").
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
TIMEOUT = 10            # seconds for any one read or write
MAX_HEAD = 16384        # bytes of HTTP head at most


def step(peer, kind, payload, claim, expect=(), opcode=None, fin=True, rsv1=False, masked=None, length_form=None,
         **fields):
    """One frame of the script. `masked` defaults to what RFC 6455 asks (clients mask, servers do not);
    `length_form` to the shortest one."""
    opcode = {"text": 0x1, "binary": 0x2, "continuation": 0x0, "close": 0x8, "ping": 0x9, "pong": 0xA}[kind] \
        if opcode is None else opcode
    return dict(peer=peer, kind=kind, payload=payload, claim=claim, expect=list(expect), opcode=opcode, fin=fin,
                rsv1=rsv1, masked=(peer == "client") if masked is None else masked, length_form=length_form,
                fields=fields)


LONG_PONG = (b"an unsolicited pong of 126 bytes, one more than a control frame may carry: "
             + b"." * 126)[:126]

# The script. Each entry: who writes, what the log calls it, the payload, what the bytes claim, the rule ids wsinspect
# must report on that frame (or on the message it belongs to).
STEPS = [
    step("client", "text", "你好".encode(), "a correct masked text message, UTF-8 \"你好\"", text="你好"),
    step("server", "text", "你好".encode(), "a correct unmasked text message, the echo", text="你好"),
    step("client", "ping", b"are you there", "a correct masked ping with 13 bytes of application data"),
    step("server", "pong", b"are you there", "a correct pong answering that ping with the same data"),
    step("client", "text", b"unmasked", "a text message from the client with MASK=0 (clients must mask)",
         expect=["client-frame-unmasked"], masked=False, text="unmasked"),
    step("server", "text", b"masked", "a text message from the server with MASK=1 and a masking key "
         "(servers never mask)", expect=["server-frame-masked"], masked=True, text="masked"),
    step("client", "text", b"rsv1 set", "a text message with RSV1=1 although no extension was negotiated",
         expect=["rsv1-without-extension"], rsv1=True, text="rsv1 set"),
    step("server", "pong", LONG_PONG, "an unsolicited pong whose 16-bit length says 126 bytes "
         "(control frames carry at most 125)", expect=["control-frame-too-long"]),
    step("client", "frame", b"opcode 3", "a frame with opcode 0x3, reserved for future data frames",
         expect=["reserved-opcode"], opcode=0x3),
    step("server", "ping", b"half a ping", "a ping with FIN=0, as if a control frame could be fragmented",
         expect=["control-frame-fragmented"], fin=False),
    step("client", "pong", b"half a ping", "a correct pong answering that ping with the same data"),
    step("client", "text", "café au lait".encode("latin-1"), "a text message in Latin-1, not UTF-8: byte 0xE9 "
         "(é) starts a 3-byte sequence but a space follows", expect=["invalid-utf8"]),
    step("server", "text", b"first half", "the first fragment (FIN=0) of a text message, never finished: step 15 "
         "interrupts it", fin=False,
         expect=["message-unfinished"], text="first half"),
    step("client", "continuation", b"orphan", "a final continuation frame when no fragmented message is open",
         expect=["unexpected-continuation"]),
    step("server", "text", b"intruder", "a new text message (opcode 0x1, FIN=1) while the fragmented one is "
         "still open", expect=["data-frame-during-fragmented-message"], text="intruder"),
    step("client", "text", b"short", "a 5-byte text message whose length is sent in the 16-bit form "
         "(126, then 00 05)", expect=["non-minimal-length"], length_form="16-bit", text="short"),
    step("client", "close", struct.pack("!H", 1005) + b"1005 is API-only", "a close frame with status code 1005 "
         "(no status received), which is never sent on the wire", expect=["invalid-close-code"], code=1005,
         reason="1005 is API-only"),
    step("server", "close", struct.pack("!H", 1000) + b"bye \xed\xa0\x80", "the answering close, code 1000, whose "
         "reason ends with ED A0 80 (the UTF-16 surrogate U+D800 encoded as if it were a character)",
         expect=["invalid-utf8"], code=1000, reason_hex=b"bye \xed\xa0\x80".hex()),
]


def mask_key():
    while True:
        key = os.urandom(4)
        if key != b"\0\0\0\0":              # the all-zero key has a rule of its own (mask-key-zero)
            return key


def build(s):
    """The bytes of a step's frame, with the fields the log records."""
    payload = s["payload"]
    first = (0x80 if s["fin"] else 0) | (0x40 if s["rsv1"] else 0) | s["opcode"]
    mask_bit = 0x80 if s["masked"] else 0
    form = s["length_form"] or ("7-bit" if len(payload) <= 125 else "16-bit" if len(payload) <= 0xFFFF else "64-bit")
    if form == "7-bit":
        header = bytes([first, mask_bit | len(payload)])
    elif form == "16-bit":
        header = bytes([first, mask_bit | 126]) + struct.pack("!H", len(payload))
    else:
        header = bytes([first, mask_bit | 127]) + struct.pack("!Q", len(payload))
    if s["masked"]:
        key = mask_key()
        wire = header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    else:
        wire = header + payload
    entry = {"kind": s["kind"]}
    if s["kind"] in ("text", "close") and s["fields"]:
        entry.update(s["fields"])
    if s["kind"] == "text" and "text" not in s["fields"]:
        entry["hex"] = payload.hex()
    if s["kind"] not in ("text", "close"):
        entry["hex"] = payload.hex()
    entry.update(fin=s["fin"], rsv1=s["rsv1"], opcode=s["opcode"], masked=s["masked"], length_form=form,
                 payload_hex=payload.hex(), wire_hex=wire.hex(), expect=s["expect"], claim=s["claim"])
    return wire, entry


def log(path, peer, entry):
    with open(path, "a") as f:
        f.write(json.dumps({"peer": peer, **entry}, ensure_ascii=False) + "\n")


def accept_for(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEAD:
            raise ConnectionError("HTTP head too long")
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during handshake")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


class Reader:
    """Reads frames whatever their bits say: only the length and the mask bit matter for finding the next one."""

    def __init__(self, sock, rest=b""):
        self.sock, self.buffer = sock, rest

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
        length, form = b1 & 0x7F, "7-bit"
        if length == 126:
            length, form = struct.unpack("!H", self.take(2))[0], "16-bit"
        elif length == 127:
            length, form = struct.unpack("!Q", self.take(8))[0], "64-bit"
        if length > 1 << 20:
            raise ConnectionError(f"frame of {length} bytes: not this script's")
        key = self.take(4) if b1 & 0x80 else None
        payload = self.take(length)
        if key:
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        return dict(fin=bool(b0 & 0x80), rsv1=bool(b0 & 0x40), opcode=b0 & 0x0F, masked=key is not None,
                    length_form=form, payload_hex=payload.hex())


def play(sock, reader, role, log_path):
    """Both peers run this: write our steps, read (and check) the other's."""
    for number, s in enumerate(STEPS, 1):
        if s["peer"] == role:
            wire, entry = build(s)
            log(log_path, role, {**entry, "step": number})
            sock.sendall(wire)
        else:
            got = reader.frame()
            _, wanted = build(s)
            differs = [k for k in ("fin", "rsv1", "opcode", "masked", "length_form", "payload_hex") if got[k] != wanted[k]]
            print(f"{role} read step {number}: {got}", flush=True)
            if differs:
                sys.exit(f"{role}: step {number} arrived with other {differs}")


def server(args):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1)
    listener.settimeout(30)
    print("ready", flush=True)
    sock, _ = listener.accept()
    listener.close()
    sock.settimeout(TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    head, rest = read_head(sock)
    headers = {}
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Accept: {accept_for(headers['sec-websocket-key'])}\r\n\r\n").encode())
    play(sock, Reader(sock, rest), "server", args.log)
    # The server closes the TCP connection first, after its Close (RFC 6455 §7.1.1).
    sock.shutdown(socket.SHUT_WR)
    try:
        while sock.recv(4096):
            pass
    except OSError:
        pass
    sock.close()


def client(args):
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /violations HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head, rest = read_head(sock)
    lines = head.split("\r\n")
    accept = next((l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("sec-websocket-accept:")), None)
    if " 101 " not in lines[0] + " " or accept != accept_for(key):
        sys.exit(f"client: bad handshake response {lines!r}")
    play(sock, Reader(sock, rest), "client", args.log)
    try:
        while sock.recv(4096):              # until the server's FIN
            pass
    except OSError:
        pass
    sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    (server if args.role == "server" else client)(args)


if __name__ == "__main__":
    main()
