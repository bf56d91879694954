#!/usr/bin/env python3
"""A tiny HTTP CONNECT proxy (standard library only) for the proxy samples.

Usage:
  connect_proxy.py --port 18461 --log FILE [--refuse] [--connections 1]

It reads a request up to its blank line. A `CONNECT host:port HTTP/1.1` to a loopback address is answered
`HTTP/1.1 200 Connection established` and the bytes are then relayed both ways, untouched, until both sides have
closed; with --refuse every request is answered `407 Proxy Authentication Required` (with a Proxy-Authenticate header)
and the connection is closed. It serves --connections clients, then exits; it prints "ready" once listening.

The log gets one line per request, in the peers' log format:
  {"peer": "proxy", "kind": "connect", "target": "127.0.0.1:18460", "status": 200, "reason": "Connection established"}
"""
import argparse
import asyncio
import ipaddress
import json
import sys

LOOPBACK_ONLY = "only loopback targets are relayed"


def log_line(path, **entry):
    with open(path, "a") as f:
        f.write(json.dumps({"peer": "proxy", **entry}, ensure_ascii=False) + "\n")


def loopback_target(target):
    """(host, port) for "127.0.0.1:port" or "[::1]:port"; None for anything else (this proxy never leaves lo)."""
    host, _, port = target.rpartition(":")
    host = host.strip("[]")
    try:
        if not ipaddress.ip_address(host).is_loopback:
            return None
        return host, int(port)
    except ValueError:
        return None


async def relay(reader, writer):
    """Copies one direction until end of file, then half-closes the other side."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.close()


async def handle(args, reader, writer):
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError):
        writer.close()
        return
    method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
    address = loopback_target(target) if method == "CONNECT" else None
    if args.refuse or address is None:
        status, reason = (407, "Proxy Authentication Required") if args.refuse else (403, "Forbidden")
        body = b"proxy authentication required\n" if args.refuse else (LOOPBACK_ONLY + "\n").encode()
        response = (f"HTTP/1.1 {status} {reason}\r\n"
                    + ('Proxy-Authenticate: Basic realm="wsinspect samples"\r\n' if args.refuse else "")
                    + f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
        log_line(args.log, kind="connect", target=target, status=status, reason=reason)
        writer.write(response.encode() + body)
        await writer.drain()
        writer.close()
        return
    try:
        upstream_reader, upstream_writer = await asyncio.wait_for(asyncio.open_connection(*address), timeout=10)
    except (OSError, asyncio.TimeoutError):
        log_line(args.log, kind="connect", target=target, status=502, reason="Bad Gateway")
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        writer.close()
        return
    log_line(args.log, kind="connect", target=target, status=200, reason="Connection established")
    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    await writer.drain()
    # The tunnel: bytes both ways, untouched, until both sides have finished (bounded by a timeout).
    try:
        await asyncio.wait_for(asyncio.gather(relay(reader, upstream_writer), relay(upstream_reader, writer)), timeout=30)
    finally:
        upstream_writer.close()
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--refuse", action="store_true", help="answer 407 Proxy Authentication Required")
    parser.add_argument("--connections", type=int, default=1)
    args = parser.parse_args()
    remaining = args.connections
    done = asyncio.Event()

    async def client(reader, writer):
        nonlocal remaining
        try:
            await handle(args, reader, writer)
        finally:
            remaining -= 1
            if remaining <= 0:
                done.set()

    server = await asyncio.start_server(client, args.host, args.port)
    async with server:
        print("ready", flush=True)
        try:
            await asyncio.wait_for(done.wait(), timeout=30)
        except asyncio.TimeoutError:
            sys.exit("proxy: timed out waiting for clients")
        await asyncio.sleep(0.2)   # let the last close go out


if __name__ == "__main__":
    asyncio.run(main())
