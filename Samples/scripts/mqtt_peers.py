#!/usr/bin/env python3
"""paho-mqtt clients (transport="websockets") talking to mosquitto's websockets listener, one after the other.

Usage (from make-samples.sh, which starts and stops mosquitto with scripts/mosquitto-views.conf, with the interpreter
of the views virtual environment, scripts/requirements-views.txt):
  mqtt_peers.py client --port 18503 --log FILE

paho offers the subprotocol "mqtt" and mosquitto chooses it. Two connections, one after the other:
  connection 0, MQTT 3.1.1 ("wsinspect-v311"): CONNECT with username/password, a will (QoS 1), keep-alive 2 s and a
    clean session; CONNACK; one SUBSCRIBE with three topics at QoS 0, 1 and 2, SUBACK; PUBLISH at QoS 0, 1 (PUBACK) and
    2 (PUBREC, PUBREL, PUBCOMP), each delivered back by the broker at the same QoS with the same exchanges the other
    way; a retained PUBLISH (QoS 1) on a topic nobody subscribes to yet; 3 s without traffic, so PINGREQ/PINGRESP;
    UNSUBSCRIBE/UNSUBACK; DISCONNECT.
  connection 1, MQTT 5.0 ("wsinspect-v5"): CONNECT with properties (session expiry, receive maximum, topic alias
    maximum) and a will with properties; CONNACK with the broker's properties; SUBSCRIBE to the retained topic, which
    delivers the retained message (retain flag set); SUBSCRIBE with options (no-local off, retain-as-published) and a
    subscription identifier; PUBLISH at QoS 1 with properties (content type, payload format, message expiry, response
    topic, correlation data, user properties with non-ASCII text) and a topic alias; a second PUBLISH by the alias only
    (empty topic); a QoS 2 PUBLISH of 20 000 bytes; UNSUBSCRIBE/UNSUBACK; DISCONNECT with a reason code and a property.

The log (JSON Lines):
  {"peer": "client", "kind": "binary", "hex": "..."}   each WebSocket message paho sent (one MQTT packet each), taken
                                                       where paho frames it;
  {"peer": "server", "kind": "binary", "hex": "...", "logged_by": "client"}   each WebSocket message mosquitto sent,
                                                       as paho's WebSocket reader completed it;
  {"peer": "client", "kind": "mqtt", "paho": "Sending CONNECT ..."}   paho's own log of the packets it sent and
                                                       received, and the callbacks it made ("event");
  the broker's own log lines (mosquitto's "Sending PUBLISH to ..." and so on) are appended by make-samples.sh as
  {"peer": "server", "kind": "broker-log", "line": "..."}.
"""
import argparse
import hashlib
import json
import os
import queue
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.client import _WebsocketWrapper
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

RUN_TIMEOUT = 40  # seconds
lock = threading.Lock()


class Log:
    def __init__(self, path):
        self.path = path

    def write(self, peer, **entry):
        with lock, open(self.path, "a") as f:
            f.write(json.dumps({"peer": peer, **entry}, ensure_ascii=False) + "\n")


def binary_entry(data):
    """A binary message's log entry: its bytes, or over 1 KiB its length and SHA-256 (as py_peer.py logs them)."""
    data = bytes(data)
    if len(data) > 1024:
        return {"kind": "binary", "length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"kind": "binary", "hex": data.hex()}


def log_websocket(log):
    """Logs the WebSocket messages paho's own WebSocket layer (_WebsocketWrapper) sends and receives.

    Sending: _send_impl frames each MQTT packet paho writes as one binary frame (when the socket takes only part of
    it, paho calls again with the same data and the rest of the frame goes out), so a frame is logged when it is made.
    Receiving: _recv_impl parses a frame from the start of its buffer on every call and empties the buffer when the
    frame is complete; its last read is then the whole payload. Frames are joined into messages by FIN."""
    send_impl, recv_impl, buffered_read = (_WebsocketWrapper._send_impl, _WebsocketWrapper._recv_impl,
                                           _WebsocketWrapper._buffered_read)

    def logged_send_impl(self, data):
        if len(self._sendbuffer) == 0:
            log.write("client", **binary_entry(data))
        return send_impl(self, data)

    def recording_buffered_read(self, length):
        data = buffered_read(self, length)
        if hasattr(self, "_wsinspect_reads"):
            self._wsinspect_reads.append(bytes(data))
        return data

    def logged_recv_impl(self, length):
        self._wsinspect_reads = []
        try:
            return recv_impl(self, length)
        finally:
            reads = self._wsinspect_reads
            if reads and len(self._readbuffer) == 0 and self._payload_head == 0 and len(reads) >= 2:
                first, second = reads[0][0], reads[1][0]
                fin, opcode, size = first & 0x80, first & 0x0F, second & 0x7F
                if size in (126, 127):  # the 16- or 64-bit length
                    size = int.from_bytes(reads[2], "big")
                payload = reads[-1] if size > 0 else b""
                if len(payload) != size:
                    log.write("client", kind="note", note=f"frame of {size} bytes read as {len(payload)}")
                if opcode in (0x0, 0x1, 0x2):
                    parts = getattr(self, "_wsinspect_parts", [])
                    if opcode != 0x0:
                        parts, self._wsinspect_opcode = [], opcode
                    parts.append(payload)
                    self._wsinspect_parts = parts
                    if fin:
                        message = b"".join(parts)
                        self._wsinspect_parts = []
                        if self._wsinspect_opcode == 0x1:
                            log.write("server", kind="text", text=message.decode(), logged_by="client")
                        else:
                            log.write("server", **binary_entry(message), logged_by="client")

    _WebsocketWrapper._send_impl = logged_send_impl
    _WebsocketWrapper._buffered_read = recording_buffered_read
    _WebsocketWrapper._recv_impl = logged_recv_impl


class Session:
    """One paho client with its callbacks reported to the log and to a queue the script waits on."""

    def __init__(self, log, client_id, protocol, port):
        self.log = log
        self.events = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=protocol,
                                  transport="websockets", clean_session=True if protocol != mqtt.MQTTv5 else None)
        self.client.ws_set_options(path="/mqtt")
        self.client.on_log = lambda client, userdata, level, text: self.log.write("client", kind="mqtt", paho=text)
        self.client.on_connect = lambda c, u, flags, reason, props: self.event(
            "connect", reason=str(reason), session_present=flags.session_present, properties=props_dict(props))
        self.client.on_subscribe = lambda c, u, mid, reasons, props: self.event(
            "subscribe", mid=mid, reason_codes=[str(r) for r in reasons], properties=props_dict(props))
        self.client.on_unsubscribe = lambda c, u, mid, reasons, props: self.event(
            "unsubscribe", mid=mid, reason_codes=[str(r) for r in reasons], properties=props_dict(props))
        self.client.on_publish = lambda c, u, mid, reason, props: self.event("publish", mid=mid, reason=str(reason))
        self.client.on_message = lambda c, u, m: self.event(
            "message", topic=m.topic, qos=m.qos, retain=bool(m.retain), mid=m.mid, payload_length=len(m.payload),
            payload=m.payload.decode("utf-8", "replace") if len(m.payload) <= 200 else None,
            properties=props_dict(getattr(m, "properties", None)))
        self.client.on_disconnect = lambda c, u, flags, reason, props: self.event("disconnect", reason=str(reason))
        self.port = port

    def event(self, name, **fields):
        self.log.write("client", kind="mqtt", event=name, **fields)
        self.events.put((name, fields))

    def expect(self, *names):
        """Waits for these callbacks, in any order (QoS exchanges in both directions interleave)."""
        wanted, got = sorted(names), []
        while len(got) < len(wanted):
            try:
                got.append(self.events.get(timeout=5)[0])
            except queue.Empty:
                sys.exit(f"client: waited for {wanted}, got {got}")
        if sorted(got) != wanted:
            sys.exit(f"client: waited for {wanted}, got {got}")

    def act(self, action, **fields):
        self.log.write("client", kind="mqtt", action=action, **fields)


def props_dict(props):
    if props is None:
        return None
    values = props.json() if hasattr(props, "json") else {}
    return {k: (v.hex() if isinstance(v, (bytes, bytearray)) else v) for k, v in values.items()} or None


def run_v311(log, port):
    s = Session(log, "wsinspect-v311", mqtt.MQTTv311, port)
    c = s.client
    c.username_pw_set("alice", "secret-1")
    c.will_set("wsinspect/status", "alice vanished", qos=1, retain=False)
    s.act("connect", protocol="3.1.1", username="alice", keepalive=2, clean_session=True,
          will={"topic": "wsinspect/status", "payload": "alice vanished", "qos": 1})
    c.connect("127.0.0.1", port, keepalive=2)
    c.loop_start()
    s.expect("connect")

    topics = [("wsinspect/q0", 0), ("wsinspect/q1", 1), ("wsinspect/q2", 2)]
    s.act("subscribe", topics=topics)
    c.subscribe(topics)
    s.expect("subscribe")

    s.act("publish", topic="wsinspect/q0", qos=0, payload="hello at QoS 0")
    c.publish("wsinspect/q0", "hello at QoS 0", qos=0)
    s.expect("publish", "message")
    s.act("publish", topic="wsinspect/q1", qos=1, payload="你好 at QoS 1")
    c.publish("wsinspect/q1", "你好 at QoS 1", qos=1)
    s.expect("publish", "message")
    payload = bytes([0x00, 0x01, 0xFE, 0xFF]) + b" QoS 2 bytes"
    s.act("publish", topic="wsinspect/q2", qos=2, payload_hex=payload.hex())
    c.publish("wsinspect/q2", payload, qos=2)
    s.expect("publish", "message")
    s.act("publish", topic="wsinspect/retained", qos=1, retain=True, payload="retained state: on")
    c.publish("wsinspect/retained", "retained state: on", qos=1, retain=True)
    s.expect("publish")

    s.act("pause", seconds=3, why="keep-alive 2 s: PINGREQ/PINGRESP")
    time.sleep(3)

    s.act("unsubscribe", topics=["wsinspect/q0"])
    c.unsubscribe("wsinspect/q0")
    s.expect("unsubscribe")
    s.act("disconnect")
    c.disconnect()
    s.expect("disconnect")
    c.loop_stop()


def run_v5(log, port):
    s = Session(log, "wsinspect-v5", mqtt.MQTTv5, port)
    c = s.client
    c.username_pw_set("bob", "secret-2")
    will_props = Properties(PacketTypes.WILLMESSAGE)
    will_props.WillDelayInterval = 5
    will_props.ContentType = "text/plain"
    c.will_set("wsinspect/status", "bob vanished", qos=0, retain=False, properties=will_props)
    connect_props = Properties(PacketTypes.CONNECT)
    connect_props.SessionExpiryInterval = 0
    connect_props.ReceiveMaximum = 20
    connect_props.TopicAliasMaximum = 5
    s.act("connect", protocol="5.0", username="bob", keepalive=30, clean_start=True,
          properties={"SessionExpiryInterval": 0, "ReceiveMaximum": 20, "TopicAliasMaximum": 5},
          will={"topic": "wsinspect/status", "payload": "bob vanished", "qos": 0,
                "properties": {"WillDelayInterval": 5, "ContentType": "text/plain"}})
    c.connect("127.0.0.1", port, keepalive=30, clean_start=True, properties=connect_props)
    c.loop_start()
    s.expect("connect")

    s.act("subscribe", topic="wsinspect/retained", qos=1)
    c.subscribe("wsinspect/retained", qos=1)
    s.expect("subscribe", "message")  # the retained message

    sub_props = Properties(PacketTypes.SUBSCRIBE)
    sub_props.SubscriptionIdentifier = 7
    options = SubscribeOptions(qos=2, noLocal=False, retainAsPublished=True,
                               retainHandling=SubscribeOptions.RETAIN_SEND_ON_SUBSCRIBE)
    s.act("subscribe", topic="wsinspect/v5/#", qos=2, no_local=False, retain_as_published=True,
          properties={"SubscriptionIdentifier": 7})
    c.subscribe("wsinspect/v5/#", options=options, properties=sub_props)
    s.expect("subscribe")

    props = Properties(PacketTypes.PUBLISH)
    props.ContentType = "application/json"
    props.PayloadFormatIndicator = 1
    props.MessageExpiryInterval = 60
    props.ResponseTopic = "wsinspect/v5/replies"
    props.CorrelationData = b"\x01\x02req-1"
    props.UserProperty = [("sample", "wsinspect"), ("lang", "中文")]
    props.TopicAlias = 1
    body = json.dumps({"greeting": "你好", "n": 1}, ensure_ascii=False)
    s.act("publish", topic="wsinspect/v5/json", qos=1, payload=body,
          properties={"ContentType": "application/json", "PayloadFormatIndicator": 1, "MessageExpiryInterval": 60,
                      "ResponseTopic": "wsinspect/v5/replies", "CorrelationData": "0102" + b"req-1".hex(),
                      "UserProperty": [["sample", "wsinspect"], ["lang", "中文"]], "TopicAlias": 1})
    c.publish("wsinspect/v5/json", body, qos=1, properties=props)
    s.expect("publish", "message")

    alias_only = Properties(PacketTypes.PUBLISH)
    alias_only.TopicAlias = 1
    s.act("publish", topic="", qos=1, payload="by topic alias 1", properties={"TopicAlias": 1})
    c.publish("", "by topic alias 1", qos=1, properties=alias_only)
    s.expect("publish", "message")

    big = bytes((i * 7 + 3) % 251 for i in range(20000))
    s.act("publish", topic="wsinspect/v5/big", qos=2, payload_length=len(big))
    c.publish("wsinspect/v5/big", big, qos=2)
    s.expect("publish", "message")

    s.act("unsubscribe", topics=["wsinspect/v5/#", "wsinspect/retained"])
    c.unsubscribe(["wsinspect/v5/#", "wsinspect/retained"])
    s.expect("unsubscribe")

    disconnect_props = Properties(PacketTypes.DISCONNECT)
    disconnect_props.SessionExpiryInterval = 0
    s.act("disconnect", reason_code=0, properties={"SessionExpiryInterval": 0})
    c.disconnect(reasoncode=mqtt.ReasonCode(PacketTypes.DISCONNECT, "Normal disconnection"),
                 properties=disconnect_props)
    s.expect("disconnect")
    c.loop_stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["client"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    timer = threading.Timer(RUN_TIMEOUT, lambda: (print("client: timed out", file=sys.stderr), os._exit(1)))
    timer.daemon = True
    timer.start()
    log = Log(args.log)
    log_websocket(log)
    run_v311(log, args.port)
    run_v5(log, args.port)


if __name__ == "__main__":
    main()
