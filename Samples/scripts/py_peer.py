#!/usr/bin/env python3
"""A Python `websockets` server and client that talk on loopback and log every message they send.

Usage:
  py_peer.py server --host 127.0.0.1 --port 8765 --log FILE [--compression deflate|none] [...]
  py_peer.py client --url ws://127.0.0.1:8765/chat --log FILE --script NAME [...]

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


def compression_arg(name):
    return None if name == "none" else "deflate"


# ---- scripts: what a client sends -------------------------------------------------------------------------------

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
    log.write(kind="ping", hex=b"are you there".hex())
    pong = await ws.ping(b"are you there")
    await pong
    log.write(kind="close", code=1000, reason="bye")
    await ws.close(1000, "bye")


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


SCRIPTS = {"basic": script_basic, "chat": script_chat}


async def run_client(args):
    log = Log(args.log, "client")
    subprotocols = args.subprotocol or None
    async with connect(args.url, compression=compression_arg(args.compression), subprotocols=subprotocols,
                       max_size=None, open_timeout=10, close_timeout=5) as ws:
        await SCRIPTS[args.script](ws, log)


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

    async with serve(handler, args.host, args.port, compression=compression_arg(args.compression),
                     subprotocols=args.subprotocol or None, max_size=None):
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
    parser.add_argument("--compression", default="none", choices=["none", "deflate"])
    parser.add_argument("--subprotocol", action="append")
    parser.add_argument("--connections", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(run_server(args) if args.role == "server" else run_client(args))


if __name__ == "__main__":
    main()
