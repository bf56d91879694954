#!/usr/bin/env python3
"""A STOMP 1.2 client (stomp.py's WSStompConnection, over websocket-client) talking to RabbitMQ's Web-STOMP plugin.

Usage (from make-samples.sh, which starts and stops the broker, with the interpreter of the views virtual
environment, scripts/requirements-views.txt):
  stomp_peers.py client --port 18502 --log FILE

The client offers the subprotocols v12.stomp, v11.stomp and v10.stomp (stomp.py sends no Sec-WebSocket-Protocol of
its own, so they are passed as a handshake header) and RabbitMQ picks v12.stomp. Then, on one connection:
CONNECT (login, passcode, host, heart-beat 1000,1000) / CONNECTED; SUBSCRIBE with ack:client-individual and a
receipt; SEND of a UTF-8 body (content-length counts bytes) with a receipt, RECEIPT, MESSAGE, ACK; a second SEND,
its MESSAGE, NACK with requeue:false; a frame with an unknown command (RabbitMQ answers ERROR "Bad command" and, unlike
what STOMP 1.2 asks of a server, keeps the connection open); a pause of 2.5 s during which both sides send heart-beats
(a bare "\\n" in a WebSocket message of its own); UNSUBSCRIBE with a receipt, RECEIPT; DISCONNECT with a receipt,
which RabbitMQ 3.10 answers by closing the WebSocket (1000 "STOMP died") without a RECEIPT.

The log (JSON Lines):
  {"peer": "client", "kind": "text", "text": "CONNECT\\naccept-version:1.2\\n..."}  each WebSocket message the client sent,
                                                                                  as handed to websocket-client;
  {"peer": "server", "kind": "text", "text": "CONNECTED\\n...", "logged_by": "client"}  each WebSocket message RabbitMQ
                         sent, as websocket-client received it (the broker keeps no such log of its own);
  {"peer": "client", "kind": "stomp", "action": "...", ...}                        what the application did and what
                                                                                  stomp.py's listener reported.
"""
import argparse
import json
import queue
import sys
import threading
import time

import stomp
import websocket

RUN_TIMEOUT = 30  # seconds

lock = threading.Lock()


class Log:
    def __init__(self, path, peer):
        self.path = path
        self.peer = peer

    def write(self, peer=None, **entry):
        entry = {"peer": peer or self.peer, **entry}
        with lock, open(self.path, "a") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def message_entry(opcode, payload):
    data = payload.encode() if isinstance(payload, str) else bytes(payload)
    if opcode == websocket.ABNF.OPCODE_TEXT:
        return {"kind": "text", "text": data.decode("utf-8")}
    return {"kind": "binary", "hex": data.hex()}


def log_websocket(log):
    """Logs what websocket-client sends (stomp.py calls WebSocket.send under its own lock, from the application's
    thread and its heart-beat thread) and every data message it receives."""
    send, recv_data = websocket.WebSocket.send, websocket.WebSocket.recv_data

    def logged_send(self, payload, opcode=websocket.ABNF.OPCODE_TEXT):
        if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
            log.write(**message_entry(opcode, payload))
        return send(self, payload, opcode)

    def logged_recv_data(self, control_frame=False):
        opcode, data = recv_data(self, control_frame)
        if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
            log.write(peer="server", **message_entry(opcode, data), logged_by="client")
        return opcode, data

    websocket.WebSocket.send, websocket.WebSocket.recv_data = logged_send, logged_recv_data


class Listener(stomp.ConnectionListener):
    """Reports every frame stomp.py received to the log and to the script's queue."""

    def __init__(self, log):
        self.log = log
        self.events = queue.Queue()

    def _report(self, name, frame=None):
        entry = {"action": name}
        if frame is not None:
            entry.update(command=frame.cmd, headers=dict(frame.headers), body=frame.body)
        self.log.write(kind="stomp", **entry)
        self.events.put((name, frame))

    def on_connected(self, frame):
        self._report("connected", frame)

    def on_message(self, frame):
        self._report("message", frame)

    def on_receipt(self, frame):
        self._report("receipt", frame)

    def on_error(self, frame):
        self._report("error", frame)

    def on_heartbeat(self):
        self.log.write(kind="stomp", action="heartbeat-received")

    def on_disconnected(self):
        self._report("disconnected")

    def expect(self, name):
        got, frame = self.events.get(timeout=5)
        if got != name:
            sys.exit(f"client: expected {name}, got {got} {frame and frame.headers}")
        return frame


def run_client(args):
    log = Log(args.log, "client")
    log_websocket(log)
    connection = stomp.WSStompConnection(
        [("127.0.0.1", args.port)], ws_path="/ws", vhost="/", heartbeats=(1000, 1000), reconnect_attempts_max=1,
        timeout=10, header=["Sec-WebSocket-Protocol: v12.stomp, v11.stomp, v10.stomp"])
    listener = Listener(log)
    connection.set_listener("log", listener)

    def act(action, **fields):
        log.write(kind="stomp", action=action, **fields)

    act("connect", login="wsinspect", heart_beat=[1000, 1000])
    connection.connect("wsinspect", "samples", wait=True, with_connect_command=True)
    chosen = (connection.transport.socket.getheaders() or {}).get("sec-websocket-protocol")
    act("handshake", subprotocol=chosen)
    if chosen != "v12.stomp":
        sys.exit(f"client: subprotocol {chosen!r}, expected v12.stomp")
    listener.expect("connected")

    queue_name = "/queue/wsinspect-samples"
    act("subscribe", destination=queue_name, id="sub-0", ack="client-individual", receipt="sub-0-receipt")
    connection.subscribe(queue_name, id="sub-0", ack="client-individual", headers={"receipt": "sub-0-receipt"})
    listener.expect("receipt")

    body = "你好, STOMP! ¿Qué tal? — 1.2"
    act("send", destination=queue_name, body=body, receipt="send-1", content_type="text/plain;charset=utf-8",
        content_length=len(body.encode()))
    connection.send(queue_name, body, content_type="text/plain;charset=utf-8",
                    headers={"receipt": "send-1", "x-sample": "wsinspect"})
    first = [listener.events.get(timeout=5) for _ in range(2)]  # RECEIPT and MESSAGE, in whichever order they come
    names = sorted(name for name, _ in first)
    if names != ["message", "receipt"]:
        sys.exit(f"client: expected a receipt and a message, got {names}")
    message = next(frame for name, frame in first if name == "message")
    act("ack", id=message.headers["ack"])
    connection.ack(message.headers["ack"])

    second = "second message, to be refused"
    act("send", destination=queue_name, body=second)
    connection.send(queue_name, second)
    message = listener.expect("message")
    act("nack", id=message.headers["ack"], requeue="false")
    connection.nack(message.headers["ack"], requeue="false")

    # A frame whose command STOMP does not have.
    act("send-frame", command="HELLO", headers={"x-sample": "bad frame"})
    connection.send_frame("HELLO", {"x-sample": "bad frame"})
    listener.expect("error")

    act("pause", seconds=2.5, why="heart-beats both ways")
    time.sleep(2.5)

    act("unsubscribe", id="sub-0", receipt="unsub-0")
    connection.unsubscribe("sub-0", headers={"receipt": "unsub-0"})
    listener.expect("receipt")

    act("disconnect", receipt="bye")
    connection.disconnect(receipt="bye")
    act("done")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["client"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    timer = threading.Timer(RUN_TIMEOUT, lambda: (print("client: timed out", file=sys.stderr), sys.stderr.flush(),
                                                  __import__("os")._exit(1)))
    timer.daemon = True
    timer.start()
    run_client(args)


if __name__ == "__main__":
    main()
