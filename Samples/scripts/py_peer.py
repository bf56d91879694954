#!/usr/bin/env python3
"""A Python `websockets` server and client that talk on loopback and log every message they send.

Usage:
  py_peer.py server --host 127.0.0.1 --port 8765 --log FILE [--compression deflate|none] [...]
  py_peer.py client --url ws://127.0.0.1:8765/chat --log FILE --script NAME [...]

For wss:// the server takes --cert/--key (a self-signed certificate made at sample time) and the client trusts --cert;
either side writes its TLS secrets to --keylog (NSS key log format, as OpenSSL writes them), and --tls-max 1.2 and
--ciphers choose the protocol version and TLS 1.2 cipher (TLS 1.3 suites are chosen through OPENSSL_CONF).
The client reaches the server through an HTTP CONNECT proxy with --proxy http://127.0.0.1:PORT.

The log (JSON Lines) records what each peer's application sent, in order:
  {"peer": "client", "kind": "text", "text": "Hello"}
  {"peer": "client", "kind": "binary", "hex": "00ff"}
  {"peer": "client", "kind": "close", "code": 1000, "reason": "bye"}
It is the truth the tests compare wsinspect's decoding with.
"""
import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import ssl
import struct
import sys

import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


class Log:
    def __init__(self, path, peer):
        self.path = path
        self.peer = peer

    def write(self, **entry):
        entry = {"peer": self.peer, **entry}
        with open(self.path, "a") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def describe(message):
    """A log entry for a message; payloads over 1 KiB are logged by length and SHA-256 to keep logs small."""
    data = message.encode() if isinstance(message, str) else bytes(message)
    kind = "text" if isinstance(message, str) else "binary"
    if len(data) > 1024:
        return {"kind": kind, "length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"kind": "text", "text": message} if kind == "text" else {"kind": "binary", "hex": data.hex()}


def extensions_arg(name, role):
    """permessage-deflate variants: none, deflate (the library default), cnct (client_no_context_takeover and a
    10-bit client window)."""
    from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory, ServerPerMessageDeflateFactory
    if name == "cnct":
        if role == "client":
            return {"compression": None, "extensions": [ClientPerMessageDeflateFactory(
                client_no_context_takeover=True, client_max_window_bits=10, compress_settings={"memLevel": 5})]}
        return {"compression": None, "extensions": [ServerPerMessageDeflateFactory()]}
    return {"compression": None if name == "none" else "deflate"}


# ---- scripts: what a client sends -------------------------------------------------------------------------------

async def ping_and_close(ws, log):
    """The end of every script: a ping answered by a pong, then close 1000 "bye"."""
    log.write(kind="ping", hex=b"are you there".hex())
    pong = await ws.ping(b"are you there")
    await pong
    log.write(kind="close", code=1000, reason="bye")
    await ws.close(1000, "bye")


async def script_basic(ws, log):
    """Text, UTF-8, binary, the three length forms, a ping, then close 1000."""
    messages = [
        "Hello",
        "你好",
        bytes([0x00, 0x01, 0xFE, 0xFF]),
        "x" * 300,                                   # 16-bit length
        bytes((i * 7) & 0xFF for i in range(70000)),  # 64-bit length
        "",                                          # empty text message
    ]
    for message in messages:
        log.write(**describe(message))
        await ws.send(message)
        await ws.recv()
    await ping_and_close(ws, log)


async def script_chat(ws, log):
    """A few short messages with pauses, so that several connections interleave."""
    name = os.environ.get("PEER_NAME", "client")
    for i in range(4):
        message = f"{name}: message {i}"
        log.write(**describe(message))
        await ws.send(message)
        await ws.recv()
        await asyncio.sleep(0.02)
    log.write(kind="close", code=1000, reason="")
    await ws.close(1000)


async def script_fragments(ws, log):
    """Fragmented messages: a ping between fragments, an empty last fragment, a character split between fragments."""
    async def hello_with_ping():
        yield "Hel"
        log.write(kind="ping", hex=b"between".hex())
        await ws.ping(b"between")
        yield "lo"
    log.write(kind="text", text="Hello")
    await ws.send(hello_with_ping())
    await ws.recv()
    log.write(kind="text", text="abcdef")
    await ws.send(["abc", "def", ""])                    # the last fragment is empty
    await ws.recv()
    log.write(kind="text", text="你好")
    await ws.send([b"\xe4\xbd", b"\xa0\xe5", b"\xa5\xbd"], text=True)   # characters split between fragments
    await ws.recv()
    log.write(kind="binary", hex="000102")
    await ws.send([b"\x00\x01", b"\x02"])
    await ws.recv()
    log.write(kind="close", code=1000, reason="fragments done")
    await ws.close(1000, "fragments done")


async def script_deflate(ws, log):
    """Similar messages (context takeover makes the repeats cheap), identical ones, a big one, a fragmented one."""
    for seq in range(4):
        message = json.dumps({"type": "tick", "seq": seq, "status": "all systems nominal", "load": [0.5, 0.25, 0.125]})
        log.write(**describe(message))
        await ws.send(message)
        await ws.recv()
    for _ in range(2):
        message = "the same message, twice over: " + "abc" * 20
        log.write(**describe(message))
        await ws.send(message)
        await ws.recv()
    big = "".join(f"line {i}: the quick brown fox jumps over the lazy dog\n" for i in range(300))
    log.write(**describe(big))
    await ws.send(big)
    await ws.recv()
    log.write(kind="text", text="fragment one, fragment two, fragment three")
    await ws.send(["fragment one, ", "fragment two, ", "fragment three"])
    await ws.recv()
    log.write(kind="close", code=1000, reason="")
    await ws.close(1000)


async def script_close(ws, log):
    """One message, then the close given by CLOSE (a code, or "reset" for an abrupt TCP reset)."""
    how = os.environ.get("CLOSE", "1000")
    log.write(kind="text", text=f"closing with {how}")
    await ws.send(f"closing with {how}")
    await ws.recv()
    if how == "reset":
        sock = ws.transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        log.write(kind="reset")
        ws.transport.abort()
        await asyncio.sleep(0.2)
        return
    code = int(how)
    reason = {1000: "normal", 1001: "going away", 4000: "application-defined"}.get(code, "")
    log.write(kind="close", code=code, reason=reason)
    await ws.close(code, reason)


async def script_wss(ws, log):
    """The wss:// and proxy samples: texts (one non-ASCII), binary, a big message (BIG bytes) that spans several TLS
    records, five small messages in one TLS record, five more in one TCP write (a record each), a ping, then close
    1000. Over ws:// each burst of five is simply five frames in one TCP write."""
    async def exchange(message):
        log.write(**describe(message))
        await ws.send(message)
        await ws.recv()
    await exchange(f"Hello from {ws.request.path}")
    await exchange("你好")
    await exchange(bytes([0x00, 0x01, 0xFE, 0xFF]))
    await exchange(json.dumps({"type": "tick", "seq": 1, "status": "all systems nominal"}))
    # Bytes that do not compress, so that the frame spans several 16 KiB TLS records even with permessage-deflate.
    await exchange(random.Random(6455).randbytes(int(os.environ.get("BIG", "40000"))))
    # Five frames in ONE TLS record: queue them in the protocol and hand the transport all their bytes in one write
    # (websockets' send() writes each frame on its own, and the TLS transport makes a record of each write).
    burst = [f"burst {i}" for i in range(5)]
    for message in burst:
        log.write(**describe(message))
        ws.protocol.send_text(message.encode())
    ws.transport.write(b"".join(ws.protocol.data_to_send()))
    for _ in burst:
        await ws.recv()
    # Five frames in five TLS records that leave in ONE TCP write (writelines encrypts each chunk as a record).
    burst = [f"record {i}" for i in range(5)]
    for message in burst:
        log.write(**describe(message))
        ws.protocol.send_text(message.encode())
    ws.transport.writelines(ws.protocol.data_to_send())
    for _ in burst:
        await ws.recv()
    await ping_and_close(ws, log)


SCRIPTS = {"basic": script_basic, "chat": script_chat, "fragments": script_fragments, "deflate": script_deflate,
           "close": script_close, "wss": script_wss}


def tls_arg(args, role):
    """{"ssl": context} for wss:// (nothing for ws://, so plain samples run exactly as before)."""
    if role == "client":
        if not (args.url or "").startswith("wss://"):
            return {}
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(args.cert)            # trust the self-signed certificate
    else:
        if not args.cert:
            return {}
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    if args.keylog:
        context.keylog_filename = args.keylog                 # OpenSSL appends the NSS key log lines here
    if args.tls_max == "1.2":
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    if args.ciphers:
        context.set_ciphers(args.ciphers)                   # TLS 1.2 ciphers only; 1.3 suites come from OPENSSL_CONF
    return {"ssl": context}


def proxy_arg(args):
    """{"proxy": url} when --proxy is given (nothing otherwise: the library's default stays in force)."""
    return {"proxy": args.proxy} if args.proxy else {}


async def run_client(args):
    log = Log(args.log, "client")
    subprotocols = args.subprotocol or None
    try:
        async with connect(args.url, subprotocols=subprotocols, max_size=None, open_timeout=10, close_timeout=5,
                           **extensions_arg(args.compression, "client"), **tls_arg(args, "client"),
                           **proxy_arg(args)) as ws:
            await SCRIPTS[args.script](ws, log)
    except websockets.exceptions.InvalidProxyStatus as refused:
        # The proxy refused the CONNECT: the client gives up (only with --proxy; nothing else raises this).
        response = refused.response
        log.write(kind="refused", reason=f"proxy answered {response.status_code} {response.reason_phrase}")


async def run_server(args):
    log = Log(args.log, "server")
    done = asyncio.Event()
    remaining = args.connections

    async def handler(ws):
        nonlocal remaining
        try:
            async for message in ws:
                reply = message
                log.write(**describe(reply))
                await ws.send(reply)
        except websockets.ConnectionClosed:
            pass
        remaining -= 1
        if remaining <= 0:
            done.set()

    async with serve(handler, args.host, args.port, subprotocols=args.subprotocol or None, max_size=None,
                     **extensions_arg(args.compression, "server"), **tls_arg(args, "server")):
        print("ready", flush=True)
        try:
            await asyncio.wait_for(done.wait(), timeout=30)
        except asyncio.TimeoutError:
            sys.exit("server: timed out waiting for clients")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--url")
    parser.add_argument("--log", required=True)
    parser.add_argument("--script", default="basic", choices=sorted(SCRIPTS))
    parser.add_argument("--compression", default="none", choices=["none", "deflate", "cnct"])
    parser.add_argument("--subprotocol", action="append")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--cert", help="PEM certificate: the server's own, the one the client trusts")
    parser.add_argument("--key", help="the server's PEM private key")
    parser.add_argument("--keylog", help="append the TLS secrets here (NSS key log format)")
    parser.add_argument("--tls-max", choices=["1.2", "1.3"], default="1.3")
    parser.add_argument("--ciphers", help="OpenSSL cipher string for TLS 1.2")
    parser.add_argument("--proxy", help="http://HOST:PORT of an HTTP CONNECT proxy (client)")
    args = parser.parse_args()
    asyncio.run(run_server(args) if args.role == "server" else run_client(args))


if __name__ == "__main__":
    main()
