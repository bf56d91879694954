#!/usr/bin/env bash
# Regenerates Docs/messages.md from the real output of wsinspect on the shipped samples.
# Usage: scripts/docs/messages.sh [path-to-wsinspect] > Docs/messages.md   (run from the repository root)
set -euo pipefail
W=${1:-.build/debug/wsinspect}
export NO_COLOR=1
cat <<'EOF'
# Lesson: messages, fragments, compression and the close handshake

Frames are what travels; messages are what the application meant. A message is one frame with FIN=1, or a first
frame with FIN=0 (its opcode — text or binary — is the message's) followed by continuation frames (opcode 0) up to
one with FIN=1 (RFC 6455 §5.4). Control frames (ping, pong, close) may sit between fragments without breaking the
message.

## Fragments, with a ping in the middle

`Samples/fragments.pcap` was made by Python `websockets` sending iterables of fragments. wsinspect prints a
fragmented message as a unit, with its frames — and the ping that arrived between them — listed under it:

```
$ wsinspect Samples/fragments.pcap
EOF
"$W" Samples/fragments.pcap | sed -n '/▶ message 0/,/▶ message 6/p' | sed '$d'
cat <<'EOF'
```

Things to notice:

- The library ends every fragmented message with an **empty** final fragment (`#3`, `#9`, `#14`, `#18`): FIN=1
  with no payload is a perfectly good end.
- Message 4 is "你好" split so that **characters straddle fragments** (`e4 bd | a0 e5 | a5 bd`): no fragment is
  valid UTF-8 on its own, the message is. UTF-8 is checked on the whole message (RFC 6455 §5.6, §8.1).
- The server echoes each message in one frame; a one-frame message needs no separate message line.

`--messages` shows only the messages:

```
$ wsinspect --messages Samples/fragments.pcap
EOF
"$W" --messages Samples/fragments.pcap | grep '^\[0\] +'
cat <<'EOF'
```

## permessage-deflate (RFC 7692)

The client offers `permessage-deflate` in `Sec-WebSocket-Extensions`; the server accepts with parameters. `client_*`
parameters govern what the *client* compresses, `server_*` what the *server* compresses. A compressed message
sets RSV1 on its first frame only; its payload (all fragments) is raw DEFLATE with the final `00 00 ff ff` removed.
The receiver appends `00 00 ff ff` and inflates. With *context takeover* the LZ77 window carries over from message
to message, so a message that repeats an earlier one costs a few bytes.

RFC 7692 §7.2.3 walks through "Hello". Paste its frames with `--deflate`:

```
$ wsinspect frame --deflate c1 07 f2 48 cd c9 c9 07 00
EOF
"$W" frame --deflate c1 07 f2 48 cd c9 c9 07 00 | sed -n '/^Payload/,$p'
cat <<'EOF'
```

The second "Hello" of §7.2.3.2 is 5 bytes because it refers back to the first:

```
$ wsinspect frame --deflate --json c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00 | grep message
EOF
"$W" frame --deflate --json c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00 | grep '"kind":"message"'
cat <<'EOF'
```

In a real capture (`Samples/python-deflate.pcap`, Python `websockets` with its default compression), the same
tick message shrinks from 77 bytes to 9 once the window holds the first one:

```
$ wsinspect Samples/python-deflate.pcap
EOF
"$W" Samples/python-deflate.pcap | sed -n '/permessage-deflate:/,/message 4 /p'
cat <<'EOF'
```

With `client_no_context_takeover` (`Samples/python-deflate-cnct.pcap`) every client message starts from an empty
window, so two identical messages cost the same:

```
$ wsinspect Samples/python-deflate-cnct.pcap | grep "the same message"
EOF
"$W" Samples/python-deflate-cnct.pcap | grep "C→S text, compressed.*the same message"
cat <<'EOF'
```

## The close handshake

Either side sends Close (with an optional 2-byte code and a UTF-8 reason); the other answers with Close; then TCP
closes, the server first (RFC 6455 §5.5.1, §7.1.1). The summary says how it went:

```
EOF
for c in 1000 1001 4000 reset; do
  echo "\$ wsinspect Samples/close-$c.pcap | grep close:"
  "$W" Samples/close-$c.pcap | grep '  close:'
done
cat <<'EOF'
```

4000-4999 are for private use by agreement between the endpoints; 1005, 1006 and 1015 are never sent
(`invalid-close-code`). A Close that is never answered before TCP closes is `close-not-answered`; data sent after
one's own Close is `data-after-close`.
EOF
