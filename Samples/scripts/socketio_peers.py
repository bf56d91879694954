#!/usr/bin/env python3
"""A python-socketio server and client (Socket.IO 5 over Engine.IO 4, WebSocket transport only) that talk on loopback.

Usage (from make-samples.sh, with the interpreter of the views virtual environment, scripts/requirements-views.txt):
  socketio_peers.py server --port 18501 --log FILE
  socketio_peers.py client --port 18501 --log FILE

Both sides run on aiohttp (the server as python-socketio's AsyncServer on an aiohttp app, the client as its
AsyncClient, whose Engine.IO client uses aiohttp's WebSocket client). The log (JSON Lines) has two kinds of entry:
  {"peer": "client", "kind": "text", "text": "42[\"chat message\",\"你好\"]"}   a WebSocket message this peer sent,
  {"peer": "client", "kind": "binary", "hex": "0001feff"}                     exactly as aiohttp was handed it;
  {"peer": "client", "kind": "socket.io", "action": "emit", ...}              what the application did or was told
                                                                              (emit, call, ack, received, connect...)
The first kind is what the sample tests compare with wsinspect's decoded messages. bytes arguments are logged in the
socket.io entries as {"bytes_hex": "..."}.

The client writes non-ASCII text as UTF-8 (like the JavaScript client), the server as JSON escapes (Python's default).
The client connects to "/", "/chat" and "/private" at once; "/private"'s connect handler refuses (CONNECT_ERROR).
The server pings every second (pingInterval 1000 ms), so a few Engine.IO ping/pong pairs happen during the run.
"""
import argparse
import asyncio
import json
import sys

import aiohttp
import socketio
from aiohttp import client_ws, web, web_ws

RUN_TIMEOUT = 30  # seconds: each peer gives up after this long


class Log:
    def __init__(self, path, peer):
        self.path = path
        self.peer = peer

    def write(self, **entry):
        entry = {"peer": self.peer, **entry}
        with open(self.path, "a") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def plain(value):
    """A JSON-able copy of Socket.IO arguments, bytes as {"bytes_hex": ...}."""
    if isinstance(value, (bytes, bytearray)):
        return {"bytes_hex": bytes(value).hex()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class Utf8Json:
    """A json module for python-socketio's json= option that writes non-ASCII characters as they are."""

    @staticmethod
    def dumps(*args, **kwargs):
        return json.dumps(*args, **{**kwargs, "ensure_ascii": False})

    @staticmethod
    def loads(*args, **kwargs):
        return json.loads(*args, **kwargs)


def log_websocket_sends(cls, log):
    """Logs every text and binary message a WebSocket class sends. Without compression aiohttp frames and writes a
    message to the transport before its first await (or raises, and then nothing was written), so an entry is made
    once the send has returned and the log's order is the wire's; a send that failed is logged as "not-sent"."""
    send_str, send_bytes = cls.send_str, cls.send_bytes

    async def logged(send, self, data, entry, args, kwargs):
        try:
            result = await send(self, data, *args, **kwargs)
        except Exception as error:
            log.write(**{**entry, "kind": "not-sent", "was": entry["kind"], "error": repr(error)})
            raise
        log.write(**entry)
        return result

    async def logged_str(self, data, *args, **kwargs):
        return await logged(send_str, self, data, {"kind": "text", "text": data}, args, kwargs)

    async def logged_bytes(self, data, *args, **kwargs):
        return await logged(send_bytes, self, data, {"kind": "binary", "hex": bytes(data).hex()}, args, kwargs)

    cls.send_str, cls.send_bytes = logged_str, logged_bytes


# ---- server -------------------------------------------------------------------------------------------------------

async def run_server(args):
    log = Log(args.log, "server")
    log_websocket_sends(web_ws.WebSocketResponse, log)
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=1, ping_timeout=5, cors_allowed_origins=[])
    app = web.Application()
    sio.attach(app)
    done = asyncio.Event()

    def io(action, **fields):
        log.write(kind="socket.io", action=action, **{k: plain(v) for k, v in fields.items()})

    @sio.event
    async def connect(sid, environ, auth):
        io("connect", namespace="/", sid=sid, auth=auth)

    @sio.event
    async def disconnect(sid, reason):
        io("disconnect", namespace="/", sid=sid, reason=str(reason))
        done.set()

    @sio.on("chat message")
    async def chat_message(sid, *data):
        io("received", namespace="/", event="chat message", args=list(data))
        reply = ["server says", "你好 back", 7, {"ok": True, "list": [1, "two", None]}]
        io("emit", namespace="/", event="reply", args=reply)
        await sio.emit("reply", tuple(reply), to=sid)

    @sio.on("sum")
    async def sum_(sid, numbers):
        io("received", namespace="/", event="sum", args=[numbers], ack_requested=True)
        result = sum(numbers)
        io("ack", namespace="/", event="sum", args=[result])
        return result

    @sio.on("ask me")
    async def ask_me(sid, topic):
        io("received", namespace="/", event="ask me", args=[topic])
        question = {"question": "favourite colour?", "topic": topic}
        io("call", namespace="/", event="question", args=[question])
        answer = await sio.call("question", question, to=sid, timeout=5)
        io("ack-received", namespace="/", event="question", args=[answer])
        io("emit", namespace="/", event="thanks", args=[answer])
        await sio.emit("thanks", answer, to=sid)

    @sio.on("upload")
    async def upload(sid, name, data):
        io("received", namespace="/", event="upload", args=[name, data])
        payload = b"\x89PNG\r\n\x1a\n" + bytes(range(8))
        io("emit", namespace="/", event="file", args=["reply.bin", payload, {"size": len(payload)}])
        await sio.emit("file", ("reply.bin", payload, {"size": len(payload)}), to=sid)

    @sio.on("checksum")
    async def checksum(sid, first, second):
        io("received", namespace="/", event="checksum", args=[first, second], ack_requested=True)
        reply = [len(first) + len(second), bytes(reversed(first))]
        io("ack", namespace="/", event="checksum", args=reply)
        return tuple(reply)

    @sio.event(namespace="/chat")
    async def connect(sid, environ, auth):  # noqa: F811 (one handler per namespace)
        io("connect", namespace="/chat", sid=sid, auth=auth)

    @sio.event(namespace="/chat")
    async def disconnect(sid, reason):  # noqa: F811
        io("disconnect", namespace="/chat", sid=sid, reason=str(reason))

    @sio.on("message", namespace="/chat")
    async def chat(sid, text):
        io("received", namespace="/chat", event="message", args=[text], ack_requested=True)
        io("emit", namespace="/chat", event="message", args=["echo: " + text])
        await sio.emit("message", "echo: " + text, to=sid, namespace="/chat")
        io("ack", namespace="/chat", event="message", args=["got it", len(text)])
        return "got it", len(text)

    @sio.on("leave", namespace="/chat")
    async def leave(sid):
        io("received", namespace="/chat", event="leave", args=[])
        io("disconnect-client", namespace="/chat", sid=sid)
        await sio.disconnect(sid, namespace="/chat")

    @sio.event(namespace="/private")
    async def connect(sid, environ, auth):  # noqa: F811
        io("connect-refused", namespace="/private", sid=sid, auth=auth,
           error={"message": "not allowed", "data": {"reason": "no token"}})
        raise socketio.exceptions.ConnectionRefusedError("not allowed", {"reason": "no token"})

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    print("ready", flush=True)
    try:
        await asyncio.wait_for(done.wait(), RUN_TIMEOUT)
        await asyncio.sleep(0.3)  # let the Engine.IO close and the WebSocket close finish
    finally:
        await runner.cleanup()


# ---- client -------------------------------------------------------------------------------------------------------

async def run_client(args):
    log = Log(args.log, "client")
    log_websocket_sends(client_ws.ClientWebSocketResponse, log)
    # python-socketio 5.18's AsyncClient.disconnect() queues DISCONNECT ("41") and the Engine.IO close packet ("1")
    # for its write loop and then closes the WebSocket at once, so neither reaches the wire (aiohttp refuses to write
    # to a closing transport). A short pause before the close lets the write loop send them.
    close = client_ws.ClientWebSocketResponse.close

    async def close_after_queue(self, *args, **kwargs):
        await asyncio.sleep(0.2)
        return await close(self, *args, **kwargs)

    client_ws.ClientWebSocketResponse.close = close_after_queue
    # Like the JavaScript client (JSON.stringify), this client writes non-ASCII text as UTF-8; the server keeps Python's
    # default and escapes it ("\u4f60\u597d"), so the capture has both forms.
    sio = socketio.AsyncClient(reconnection=False, json=Utf8Json)
    events = asyncio.Queue()

    def io(action, **fields):
        log.write(kind="socket.io", action=action, **{k: plain(v) for k, v in fields.items()})

    async def expect(name):
        got = await asyncio.wait_for(events.get(), 5)
        if got != name:
            sys.exit(f"client: expected {name}, got {got}")

    @sio.event
    async def connect():
        io("connected", namespace="/", sid=sio.get_sid("/"))
        await events.put("connect /")

    @sio.event(namespace="/chat")
    async def connect():  # noqa: F811
        io("connected", namespace="/chat", sid=sio.get_sid("/chat"))
        await events.put("connect /chat")

    @sio.event(namespace="/private")
    async def connect_error(data):
        io("connect-error", namespace="/private", error=data)
        await events.put("connect_error /private")

    @sio.event(namespace="/chat")
    async def disconnect(reason):
        io("disconnected", namespace="/chat", reason=str(reason))
        await events.put("disconnect /chat")

    @sio.on("reply")
    async def reply(*data):
        io("received", namespace="/", event="reply", args=list(data))
        await events.put("reply")

    @sio.on("question")
    async def question(data):
        io("received", namespace="/", event="question", args=[data], ack_requested=True)
        answer = "blue — 蓝色"
        io("ack", namespace="/", event="question", args=[answer])
        return answer

    @sio.on("thanks")
    async def thanks(data):
        io("received", namespace="/", event="thanks", args=[data])
        await events.put("thanks")

    @sio.on("file")
    async def file(*data):
        io("received", namespace="/", event="file", args=list(data))
        await events.put("file")

    @sio.on("message", namespace="/chat")
    async def chat(text):
        io("received", namespace="/chat", event="message", args=[text])
        await events.put("chat message")

    # All three namespaces in one Engine.IO connection; /private is refused, so wait for the outcomes ourselves
    # (connect(wait=True) would give up on the whole connection).
    await sio.connect(f"http://127.0.0.1:{args.port}", transports=["websocket"],
                      namespaces=["/", "/chat", "/private"], wait=False)
    outcomes = {await asyncio.wait_for(events.get(), 5) for _ in range(3)}
    if outcomes != {"connect /", "connect /chat", "connect_error /private"}:
        sys.exit(f"client: unexpected connection outcomes {outcomes}")

    # EVENT with several argument types (string, UTF-8, integer, float, boolean, null, object, array).
    chat_args = ["你好", 42, 3.5, True, None, {"nested": [1, 2], "emoji": "🙂"}, ["a", "b"]]
    io("emit", namespace="/", event="chat message", args=chat_args)
    await sio.emit("chat message", tuple(chat_args))
    await expect("reply")

    # EVENT with an ack id (client → server), answered by ACK.
    io("call", namespace="/", event="sum", args=[[1, 2, 3]])
    result = await sio.call("sum", [1, 2, 3], timeout=5)
    io("ack-received", namespace="/", event="sum", args=[result])

    # The server calls back: its EVENT carries an ack id, the client's handler's return value is the ACK.
    io("emit", namespace="/", event="ask me", args=["colours"])
    await sio.emit("ask me", "colours")
    await expect("thanks")

    # Engine.IO ping/pong: the server pings every second.
    await asyncio.sleep(2.2)

    # BINARY_EVENT: a bytes argument becomes a placeholder plus a binary message; the server answers with one too.
    blob = bytes([0x00, 0x01, 0xFE, 0xFF]) + "你好".encode()
    io("emit", namespace="/", event="upload", args=["hello.bin", blob])
    await sio.emit("upload", ("hello.bin", blob))
    await expect("file")

    # BINARY_EVENT with an ack id and two attachments, answered by BINARY_ACK.
    first, second = b"\x01\x02\x03", b"\xca\xfe"
    io("call", namespace="/", event="checksum", args=[first, second])
    result = await sio.call("checksum", (first, second), timeout=5)
    io("ack-received", namespace="/", event="checksum", args=list(result))

    # The /chat namespace: an event with an ack, a server event, then the server disconnects the namespace.
    io("call", namespace="/chat", event="message", args=["hello /chat"])
    result = await sio.call("message", "hello /chat", namespace="/chat", timeout=5)
    io("ack-received", namespace="/chat", event="message", args=list(result))
    await expect("chat message")
    io("emit", namespace="/chat", event="leave", args=[])
    await sio.emit("leave", namespace="/chat")
    await expect("disconnect /chat")

    # DISCONNECT from "/" and the Engine.IO close.
    io("disconnect", namespace="/")
    await sio.disconnect()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    run = run_server if args.role == "server" else run_client
    asyncio.run(asyncio.wait_for(run(args), RUN_TIMEOUT + 5))


if __name__ == "__main__":
    main()
