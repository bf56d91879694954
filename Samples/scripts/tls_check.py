#!/usr/bin/env python3
"""Cross-checks a TLS (or proxied) sample with tshark: does the key log decrypt it, and is what tshark decodes what
the peers logged they sent?

Usage:
  tls_check.py NAME.pcap --log NAME.log.jsonl [--keys NAME.keys]

For every TCP connection it prints the negotiated TLS version and cipher suite, whether the key log holds the
connection's secrets (CLIENT_RANDOM for TLS 1.2; the handshake and first application traffic secrets for TLS 1.3),
its KeyUpdate messages, and the WebSocket messages tshark decrypted. Every connection that carries WebSocket frames
must carry exactly the messages of the log. A proxied sample has two connections, client-proxy (with the CONNECT)
and proxy-server; tshark 4.0 does not follow the WebSocket inside the client's CONNECT tunnel, so for it this checks
that the bytes after the CONNECT exchange are, each way, exactly the bytes of the proxy-server connection. Compressed messages (RSV1) are inflated here, with one zlib context per direction, from the
payload bytes tshark decrypted. Exits 1 on any mismatch. tshark is only a cross-check: the log is the truth.
"""
import argparse
import hashlib
import json
import subprocess
import sys
import zlib

SUITES = {0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384", 0x1303: "TLS_CHACHA20_POLY1305_SHA256",
          0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}
VERSIONS = {0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}
TLS13_LABELS = ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                "SERVER_TRAFFIC_SECRET_0"]


def tshark(args, pcap, keys, *extra):
    command = ["tshark", "-n", "-r", pcap] + (["-o", f"tls.keylog_file:{keys}"] if keys else []) + list(extra)
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def fields(pcap, keys, display_filter, *names):
    out = tshark(None, pcap, keys, "-Y", display_filter, "-T", "fields", *sum((["-e", n] for n in names), []))
    return [line.split("\t") for line in out.splitlines() if line]


def follow(pcap, stream):
    """(bytes from the connection's initiator, bytes to it) of one TCP connection."""
    out = tshark(None, pcap, None, "-q", "-z", f"follow,tcp,raw,{stream}")
    sent, received = b"", b""
    for line in out.split("=" * 67)[1].splitlines():
        if line.startswith(("Follow:", "Filter:", "Node ")) or not line.strip():
            continue
        if line.startswith("\t"):
            received += bytes.fromhex(line.strip())
        else:
            sent += bytes.fromhex(line.strip())
    return sent, received


def check_tunnels(pcap, log, problems):
    """Each CONNECT is the one the proxy logged, answered as logged; each tunnel answered 200 carries the bytes of the
    proxy's own connection to the target."""
    responses = {int(s): c for s, c in fields(pcap, None, "http.response", "tcp.stream", "http.response.code")[::-1]}
    requests = fields(pcap, None, "http.request.method == CONNECT", "tcp.stream", "http.request.uri")
    logged = [(e["target"], str(e["status"])) for e in log if e["peer"] == "proxy" and e["kind"] == "connect"]
    if [(target, responses.get(int(stream), "none")) for stream, target in requests] != logged:
        problems.append(f"the CONNECT requests and answers differ from the proxy's log {logged}")
    ports = {int(s): (int(a), int(b)) for s, a, b in fields(pcap, None, "tcp.flags.syn == 1 && tcp.flags.ack == 0",
                                                            "tcp.stream", "tcp.srcport", "tcp.dstport")}
    for stream, target in requests:
        stream, status = int(stream), responses.get(int(stream), "none")
        print(f"connection {stream}: CONNECT {target}, answered {status}")
        if status != "200":
            continue
        upstream = [s for s, (_, port) in ports.items() if s != stream and port == int(target.rsplit(":", 1)[1])]
        if len(upstream) != 1:
            problems.append(f"connection {stream}: no single proxy connection to {target}")
            continue
        sent, received = follow(pcap, stream)
        tunnel = (sent.split(b"\r\n\r\n", 1)[1], received.split(b"\r\n\r\n", 1)[1])
        if tunnel == follow(pcap, upstream[0]):
            print(f"connection {stream}: the tunnel carries, each way, the {len(tunnel[0])} + {len(tunnel[1])} bytes "
                  f"of connection {upstream[0]} (proxy to target)")
        else:
            problems.append(f"connection {stream}: the tunnel's bytes differ from connection {upstream[0]}'s")


def as_list(value):
    return value if isinstance(value, list) else [value]


def frames_by_connection(pcap, keys):
    """{tcp stream: [(from, opcode, fin, rsv, payload bytes)]} in capture order, from tshark's decrypted frames."""
    out = tshark(None, pcap, keys, "-Y", "websocket", "-T", "json", "-x", "--no-duplicate-keys", "-J", "tcp websocket")
    connections = {}
    for packet in json.loads(out or "[]"):
        layers = packet["_source"]["layers"]
        stream = int(as_list(layers["tcp"])[0]["tcp.stream"])
        for ws in as_list(layers["websocket"]):
            sender = "client" if ws["websocket.mask"] == "1" else "server"   # clients mask, servers do not
            raw = ws.get("websocket.payload_raw", [""])     # [hex, offset, length, mask, type]
            payload = bytes.fromhex(raw[0][0] if isinstance(raw[0], list) else raw[0])
            connections.setdefault(stream, []).append(
                (sender, int(ws["websocket.opcode"]), ws["websocket.fin"] == "1", int(ws["websocket.rsv"], 16), payload))
    return connections


def messages(frames):
    """{"client": [...], "server": [...]} as log entries: data messages assembled and inflated, pings and closes."""
    out = {"client": [], "server": []}
    partial = {}
    inflaters = {"client": zlib.decompressobj(-15), "server": zlib.decompressobj(-15)}
    for sender, opcode, fin, rsv, payload in frames:
        if opcode == 9:
            out[sender].append({"kind": "ping", "hex": payload.hex()})
        elif opcode == 8:
            code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
            out[sender].append({"kind": "close", "code": code, "reason": payload[2:].decode("utf-8", "replace")})
        elif opcode in (0, 1, 2):
            if opcode != 0:
                partial[sender] = [opcode, bool(rsv & 4), b""]
            partial[sender][2] += payload
            if fin:
                opcode, compressed, data = partial.pop(sender)
                if compressed:
                    data = inflaters[sender].decompress(data + b"\x00\x00\xff\xff")
                out[sender].append(describe(opcode, data))
    return out


def describe(opcode, data):
    """The log's form of a message (payloads over 1 KiB by length and SHA-256, as py_peer.py logs them)."""
    kind = "text" if opcode == 1 else "binary"
    if len(data) > 1024:
        return {"kind": kind, "length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"kind": "text", "text": data.decode("utf-8")} if kind == "text" else {"kind": "binary", "hex": data.hex()}


def key_log(path):
    """{client random (hex): set of labels} from an NSS key log."""
    labels = {}
    for line in open(path) if path else []:
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#"):
            labels.setdefault(parts[1].lower(), set()).add(parts[0])
    return labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pcap")
    parser.add_argument("--log", required=True)
    parser.add_argument("--keys")
    parser.add_argument("--key-updates", type=int, default=0, help="require this many KeyUpdate messages")
    args = parser.parse_args()
    problems = []

    # TLS: version and suite from each ServerHello, the key log's secrets for each ClientHello, KeyUpdates.
    logged_keys = key_log(args.keys)
    hellos = {int(s): r for s, r in fields(args.pcap, args.keys, "tls.handshake.type == 1", "tcp.stream",
                                           "tls.handshake.random")}
    for stream, suite, supported, version in fields(args.pcap, args.keys, "tls.handshake.type == 2", "tcp.stream",
                                                    "tls.handshake.ciphersuite", "tls.handshake.extensions.supported_version",
                                                    "tls.handshake.version"):
        tls_version = VERSIONS.get(int(supported or version, 16), supported or version)
        suite_name = SUITES.get(int(suite, 16), suite)
        random = hellos.get(int(stream), "").replace(":", "").lower()
        needed = TLS13_LABELS if tls_version == "TLS 1.3" else ["CLIENT_RANDOM"]
        missing = [label for label in needed if label not in logged_keys.get(random, set())]
        print(f"connection {stream}: {tls_version}, {suite_name}, key log "
              + (f"MISSING {', '.join(missing)}" if missing else "has " + ", ".join(needed)))
        if missing:
            problems.append(f"connection {stream}: key log lacks {missing}")
    key_updates = 0
    for frame, stream, port, request in fields(args.pcap, args.keys, "tls.handshake.type == 24", "frame.number",
                                               "tcp.stream", "tcp.srcport", "tls.handshake.key_update.request_update"):
        for r in request.split(","):
            key_updates += 1
            print(f"connection {stream}: KeyUpdate in packet {frame} from port {port} (request_update={r})")
    if key_updates < args.key_updates:
        problems.append(f"{key_updates} KeyUpdate messages, expected {args.key_updates}")

    # WebSocket: every connection that carries frames carries exactly the logged messages.
    log = [json.loads(line) for line in open(args.log, encoding="utf-8")]
    truth = {"client": [], "server": []}
    for entry in log:
        if entry["peer"] in truth and entry["kind"] in ("text", "binary", "ping", "close"):
            truth[entry["peer"]].append({k: v for k, v in entry.items() if k != "peer"})
    check_tunnels(args.pcap, log, problems)
    connections = frames_by_connection(args.pcap, args.keys)
    expected_data = sum(1 for p in truth.values() for m in p if m["kind"] in ("text", "binary"))
    if not connections and expected_data:
        problems.append("tshark decoded no WebSocket frame")
    for stream, frames in sorted(connections.items()):
        decoded = messages(frames)
        data = sum(1 for p in decoded.values() for m in p if m["kind"] in ("text", "binary"))
        print(f"connection {stream}: {len(frames)} WebSocket frames, {data} data messages decoded")
        for peer in ("client", "server"):
            # The server's pong and close reply are automatic (not logged): compare what the log has.
            got = [m for m in decoded[peer] if m["kind"] in ("text", "binary") or peer == "client"]
            want = truth[peer]
            if peer == "server":
                want = [m for m in want if m["kind"] in ("text", "binary")]
            # Data messages and control frames are compared apart (a ping may go out between two fragments).
            for what, keep in (("messages", lambda m: m["kind"] in ("text", "binary")),
                               ("control frames", lambda m: m["kind"] not in ("text", "binary"))):
                g_list, w_list = [m for m in got if keep(m)], [m for m in want if keep(m)]
                if g_list == w_list:
                    continue
                problems.append(f"connection {stream} {peer}: decoded {what} differ from the log")
                for i, (g, w) in enumerate(zip(g_list, w_list)):
                    if g != w:
                        print(f"  first difference at {peer} {what} {i}: decoded {g} logged {w}", file=sys.stderr)
                        break
                else:
                    print(f"  {peer}: decoded {len(g_list)} {what}, logged {len(w_list)}", file=sys.stderr)
    for problem in problems:
        print("MISMATCH: " + problem, file=sys.stderr)
    print("matches the log" if not problems else "DOES NOT match the log")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
