#!/usr/bin/env python3
"""GraphQL over WebSocket (graphql-transport-ws): a Strawberry server on aiohttp and a gql client on websockets.

Usage (from make-samples.sh, with the interpreter of the views virtual environment, scripts/requirements-views.txt):
  graphql_peers.py server --port 18504 --log FILE
  graphql_peers.py client --port 18504 --log FILE

The client offers only graphql-transport-ws; both libraries keep their defaults otherwise, so the connection uses
permessage-deflate (the websockets client offers it, aiohttp accepts it). The client, one operation at a time:
connection_init with a payload / connection_ack; a query with a variable (subscribe, next, complete); a subscription
that yields three values (subscribe, next ×3, complete from the server); a subscription the client stops after two
values (its own complete); a query with an unknown field (the server's error message); a query whose resolver raises
(next with "errors", then complete); ping with a payload / pong; the WebSocket close.

The log (JSON Lines):
  {"peer": "client", "kind": "text", "text": "{\\"type\\":\\"connection_init\\",...}"}   each WebSocket message a peer sent,
        logged when the library's send returned (the client's websockets connection, the server's aiohttp response);
  {"peer": "client", "kind": "graphql", "action": "...", ...}   what the application asked for and what it got back;
  {"peer": "server", "kind": "graphql", "action": "resolve", ...}   what the server's resolvers were asked to do.
"""
import argparse
import asyncio
import json
import sys
from typing import AsyncGenerator, Optional

RUN_TIMEOUT = 30  # seconds


class Log:
    def __init__(self, path, peer):
        self.path = path
        self.peer = peer

    def write(self, **entry):
        entry = {"peer": self.peer, **entry}
        with open(self.path, "a") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def message_entry(data):
    if isinstance(data, str):
        return {"kind": "text", "text": data}
    return {"kind": "binary", "hex": bytes(data).hex()}


# ---- server -------------------------------------------------------------------------------------------------------

async def run_server(args):
    import strawberry
    from aiohttp import web, web_ws
    from strawberry.aiohttp.views import GraphQLView
    from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

    log = Log(args.log, "server")

    # aiohttp writes a message to the transport before the first await of send_str (or raises, having written
    # nothing), so logging once the send returned keeps the wire's order.
    send_str, send_bytes = web_ws.WebSocketResponse.send_str, web_ws.WebSocketResponse.send_bytes

    async def logged_str(self, data, *a, **k):
        result = await send_str(self, data, *a, **k)
        log.write(**message_entry(data))
        return result

    async def logged_bytes(self, data, *a, **k):
        result = await send_bytes(self, data, *a, **k)
        log.write(**message_entry(data))
        return result

    web_ws.WebSocketResponse.send_str, web_ws.WebSocketResponse.send_bytes = logged_str, logged_bytes

    @strawberry.type
    class Query:
        @strawberry.field
        def hello(self, name: str) -> str:
            log.write(kind="graphql", action="resolve", field="hello", args={"name": name})
            return f"Hello, {name}! 你好"

        @strawberry.field
        def broken(self) -> Optional[str]:
            log.write(kind="graphql", action="resolve", field="broken", raises="this field always fails")
            raise ValueError("this field always fails")

    @strawberry.type
    class Subscription:
        @strawberry.subscription
        async def count(self, to: int = 3, delay: float = 0.05) -> AsyncGenerator[int, None]:
            log.write(kind="graphql", action="resolve", field="count", args={"to": to, "delay": delay})
            for i in range(1, to + 1):
                log.write(kind="graphql", action="yield", field="count", value=i)
                yield i
                await asyncio.sleep(delay)

    schema = strawberry.Schema(query=Query, subscription=Subscription)
    view = GraphQLView(schema=schema, subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL], graphql_ide=None)
    done = asyncio.Event()

    async def graphql(request):
        try:
            return await view(request)
        finally:
            if request.headers.get("Upgrade", "").lower() == "websocket":
                log.write(kind="graphql", action="websocket-finished")
                done.set()

    app = web.Application()
    app.router.add_route("*", "/graphql", graphql)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", args.port).start()
    print("ready", flush=True)
    try:
        await asyncio.wait_for(done.wait(), RUN_TIMEOUT)
    finally:
        await runner.cleanup()


# ---- client -------------------------------------------------------------------------------------------------------

async def run_client(args):
    from gql import Client, GraphQLRequest, gql
    from gql.transport.exceptions import TransportQueryError
    from gql.transport.websockets import WebsocketsTransport
    from websockets.asyncio.connection import Connection

    log = Log(args.log, "client")
    send = Connection.send

    async def logged_send(self, message, *a, **k):
        result = await send(self, message, *a, **k)
        log.write(**message_entry(message))
        return result

    Connection.send = logged_send

    def act(action, **fields):
        log.write(kind="graphql", action=action, **fields)

    transport = WebsocketsTransport(
        url=f"ws://127.0.0.1:{args.port}/graphql", subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"token": "wsinspect-sample", "greeting": "你好"}, ack_timeout=5, close_timeout=5)
    act("connect", subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"token": "wsinspect-sample", "greeting": "你好"})
    async with Client(transport=transport, fetch_schema_from_transport=False, execute_timeout=5) as session:
        act("connected", subprotocol=transport.subprotocol)
        if transport.subprotocol != "graphql-transport-ws":
            sys.exit(f"client: subprotocol {transport.subprotocol!r}")

        query = "query Hello($name: String!) { hello(name: $name) }"
        act("execute", query=query, variables={"name": "wsinspect"})
        result = await session.execute(GraphQLRequest(query, variable_values={"name": "wsinspect"}))
        act("result", data=result)

        query = "subscription { count(to: 3) }"
        act("subscribe", query=query)
        async for value in session.subscribe(gql(query)):
            act("next", data=value)
        act("completed", query=query)

        query = "subscription { count(to: 100, delay: 0.2) }"
        act("subscribe", query=query, stop_after=2)
        received = 0
        async for value in session.subscribe(gql(query)):
            act("next", data=value)
            received += 1
            if received == 2:
                act("stop", why="the client completes the subscription itself")
                break
        await asyncio.sleep(0.1)

        query = "query { nosuchfield }"
        act("execute", query=query)
        try:
            await session.execute(gql(query))
            sys.exit("client: the bad query did not fail")
        except TransportQueryError as error:
            act("error", errors=error.errors)

        query = "query { broken hello(name: \"again\") }"
        act("execute", query=query)
        try:
            await session.execute(gql(query))
            sys.exit("client: the broken field did not fail")
        except TransportQueryError as error:
            act("error", errors=error.errors, data=error.data)

        act("ping", payload={"from": "client"})
        await transport.send_ping({"from": "client"})
        await asyncio.sleep(0.2)
        act("close")


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
