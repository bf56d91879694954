#!/usr/bin/env python3
"""Cross-checks a payload-view sample (socketio, stomp, mqtt, graphql) with tshark, and summarises what it holds.

Usage:
  views_check.py NAME.pcap --log NAME.log.jsonl --view socketio|stomp|mqtt|graphql --subprotocol PROTO|none

Checks, exiting 1 on any mismatch:
  - every connection's 101 response chose the expected subprotocol (tshark's http.sec_websocket_protocol);
  - the WebSocket data messages tshark decodes (assembled and inflated as tls_check.py does), taken connection after
    connection in capture order, are for each peer exactly the text and binary entries of the log, in order;
  - mqtt: the control packet types in the logged messages are the ones paho's own log reports it sent ("Sending X")
    and received ("Received X"), and the broker's log ("Sending X to ...") agrees with what the client received.
Then prints how many messages of each application type each peer sent (the Engine.IO/Socket.IO packet type, the STOMP
command, the MQTT control packet type, the graphql-transport-ws message type), as classified here from the logged
messages. tshark is only a cross-check: the log is the truth.
"""
import argparse
import collections
import json
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the samples' scripts
from tls_check import fields, frames_by_connection, messages  # noqa: E402

MQTT_TYPES = ["RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
              "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"]
ENGINE_IO = {"0": "open", "1": "close", "2": "ping", "3": "pong", "4": "message", "5": "upgrade", "6": "noop"}
SOCKET_IO = {"0": "CONNECT", "1": "DISCONNECT", "2": "EVENT", "3": "ACK", "4": "CONNECT_ERROR", "5": "BINARY_EVENT",
             "6": "BINARY_ACK"}


def classify(view, entry):
    """The application type of one logged message (None when the entry gives only a length and a hash)."""
    if view == "socketio":
        if entry["kind"] == "binary":
            return "binary attachment"
        text = entry["text"]
        name = ENGINE_IO.get(text[:1], "?" + text[:1])
        return f"{name} {SOCKET_IO.get(text[1:2], '?')}" if name == "message" else name
    if view == "stomp":
        text = entry.get("text", "")
        return "heart-beat" if text.strip("\r\n") == "" else text.split("\n", 1)[0]
    if view == "mqtt":
        data = bytes.fromhex(entry["hex"]) if "hex" in entry else None
        return MQTT_TYPES[data[0] >> 4] if data else "PUBLISH (logged by length)"
    if view == "graphql":
        return json.loads(entry["text"]).get("type", "?")
    return entry["kind"]


def check_mqtt(log, wire, problems):
    """paho's own report of each packet (and the broker's) against the packet types of the logged messages."""
    def types(entries):
        return [classify("mqtt", e).split(" ")[0] for e in entries]

    paho_sent = [m.group(1) for e in log if e.get("kind") == "mqtt" and "paho" in e
                 for m in [re.match(r"Sending (\w+)", e["paho"])] if m]
    paho_received = [m.group(1) for e in log if e.get("kind") == "mqtt" and "paho" in e
                     for m in [re.match(r"Received (\w+)", e["paho"])] if m]
    broker_sent = [m.group(1) for e in log if e.get("kind") == "broker-log"
                   for m in [re.match(r"Sending (\w+) to ", e["line"])] if m]
    for what, reported, logged in (("paho's Sending lines", paho_sent, types(wire["client"])),
                                   ("paho's Received lines", paho_received, types(wire["server"])),
                                   ("mosquitto's Sending lines", broker_sent, types(wire["server"]))):
        if reported != logged:
            problems.append(f"{what} ({len(reported)}) differ from the logged messages' packet types ({len(logged)})")
        else:
            print(f"{what}: {len(reported)} packets, the same types as the logged messages")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pcap")
    parser.add_argument("--log", required=True)
    parser.add_argument("--view", required=True, choices=["socketio", "stomp", "mqtt", "graphql"])
    parser.add_argument("--subprotocol", required=True)
    args = parser.parse_args()
    problems = []
    log = [json.loads(line) for line in open(args.log, encoding="utf-8")]
    wire = {peer: [{k: v for k, v in e.items() if k in ("kind", "text", "hex", "length", "sha256")}
                   for e in log if e["peer"] == peer and e["kind"] in ("text", "binary")]
            for peer in ("client", "server")}

    expected = "" if args.subprotocol == "none" else args.subprotocol
    chosen = fields(args.pcap, None, "http.response.code == 101", "tcp.stream", "http.sec_websocket_protocol")
    for stream, protocol in chosen:
        print(f"connection {stream}: subprotocol {protocol or 'none'}")
        if protocol != expected:
            problems.append(f"connection {stream}: subprotocol {protocol!r}, expected {expected!r}")
    if not chosen:
        problems.append("tshark found no 101 response")

    decoded = {"client": [], "server": []}
    for stream, frames in sorted(frames_by_connection(args.pcap, None).items()):
        per_peer = messages(frames)
        print(f"connection {stream}: {len(frames)} WebSocket frames; data messages: client "
              f"{sum(m['kind'] in ('text', 'binary') for m in per_peer['client'])}, server "
              f"{sum(m['kind'] in ('text', 'binary') for m in per_peer['server'])}")
        for peer in decoded:
            decoded[peer] += [m for m in per_peer[peer] if m["kind"] in ("text", "binary")]
    for peer in decoded:
        if decoded[peer] != wire[peer]:
            problems.append(f"{peer}: tshark's messages differ from the log ({len(decoded[peer])} decoded, "
                            f"{len(wire[peer])} logged)")
            for i, (d, w) in enumerate(zip(decoded[peer], wire[peer])):
                if d != w:
                    print(f"  first difference at {peer} message {i}: decoded {d} logged {w}", file=sys.stderr)
                    break
        else:
            print(f"{peer}: tshark decodes the {len(wire[peer])} logged messages, in order")

    if args.view == "mqtt":
        check_mqtt(log, wire, problems)
    for peer in ("client", "server"):
        counts = collections.Counter(classify(args.view, e) for e in wire[peer])
        print(f"{peer} sent: " + ", ".join(f"{name} ×{n}" for name, n in sorted(counts.items())))
    for problem in problems:
        print("MISMATCH: " + problem, file=sys.stderr)
    print("matches the log" if not problems else "DOES NOT match the log")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
