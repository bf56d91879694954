#!/usr/bin/env bash
# Regenerates Docs/handshake.md from the real output of wsinspect on the shipped samples.
# Usage: scripts/docs/handshake.sh [path-to-wsinspect] > Docs/handshake.md   (run from the repository root)
set -euo pipefail
W=${1:-.build/debug/wsinspect}
export NO_COLOR=1
cat <<'EOF'
# Lesson: the opening handshake

A WebSocket connection starts as HTTP. The client asks to upgrade; the server proves it understood by answering
`101 Switching Protocols` with a `Sec-WebSocket-Accept` derived from the client's `Sec-WebSocket-Key`
(RFC 6455 §4). From the byte after the 101's empty line, both sides speak frames.

## The Accept derivation

The key is 16 random bytes in base64. The server appends the fixed GUID `258EAFA5-E914-47DA-95CA-C5AB0DC85B11`,
hashes the string with SHA-1, and sends the digest in base64. RFC 6455 §1.3's example:

```
$ wsinspect accept dGhlIHNhbXBsZSBub25jZQ== --expect s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
EOF
"$W" accept dGhlIHNhbXBsZSBub25jZQ== --expect s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
cat <<'EOF'
```

The tutorials' other pairs — a Chrome handshake to `ws://localhost:8888` and one with `Origin: null` — check out the
same way:

```
$ wsinspect accept In1aAp/ya9Lkv+tsUtXLXQ== --expect HBMDBbZMiS59r3aAITpGtJ64Mfc=
EOF
"$W" accept In1aAp/ya9Lkv+tsUtXLXQ== --expect HBMDBbZMiS59r3aAITpGtJ64Mfc= | tail -1
echo '$ wsinspect accept sN9cRrP/n9NdMgdcy2VJFQ== --expect fFBooB7FAkLlXgRSz0BT3v4hq5s='
"$W" accept sN9cRrP/n9NdMgdcy2VJFQ== --expect fFBooB7FAkLlXgRSz0BT3v4hq5s= | tail -1
cat <<'EOF'
```

(The `Origin: null` tutorial's response also carried `Sec-WebSocket-Origin` and `Sec-WebSocket-Location`: those are
headers of the pre-RFC hixie drafts, and wsinspect says so with the note `legacy-hixie-header`.)

## A real handshake, captured

Python `websockets` on loopback (`Samples/python-echo.pcap`). wsinspect shows the request line, the headers that
matter, the response, the derivation with ✓ or ✗, and what was negotiated:

```
$ wsinspect Samples/python-echo.pcap -c 2
EOF
"$W" Samples/python-echo.pcap -c 2
cat <<'EOF'
```

## Server A: a 101 that real clients refuse

A tutorial's hand-written Node server answers with exactly:

```
HTTP/1.1 101 Web Socket Protocol Handshake \r\n
Upgrade:WebSocket\r\n
Connection : Upgrade\r\n
sec-websocket-accept: <accept>\r\n\r\n
```

The trailing space after the reason phrase is allowed, and so is `Upgrade:WebSocket` (any case, no space needed).
`Connection : Upgrade` is not: RFC 7230 §3.2.4 forbids whitespace between a header name and its colon, and says a
recipient must reject such a message. Python `websockets` and browsers refuse this 101; the lenient client in
`Samples/tutorial-server-a.pcap` carries on, which RFC 6455 §4.1 forbids too:

```
$ wsinspect Samples/tutorial-server-a.pcap
EOF
"$W" Samples/tutorial-server-a.pcap
cat <<'EOF'
```

## Server B: a legal request refused without an answer

Another tutorial server splits header lines on `': '` and compares `upgrade == 'websocket'` exactly. A legal
`Upgrade: WebSocket` (the token is case-insensitive) is refused by closing the socket, without any HTTP response
(RFC 6455 §4.2.1 asks for an HTTP error). The same client with `Upgrade: websocket` then succeeds:

```
$ wsinspect Samples/tutorial-server-b.pcap
EOF
"$W" Samples/tutorial-server-b.pcap
cat <<'EOF'
```

Every rule wsinspect checks during the handshake, with its RFC section, is in [rules.md](rules.md).
EOF
