#!/usr/bin/env bash
# Regenerates Docs/frame-anatomy.md from the real output of wsinspect.
# Usage: scripts/docs/frame-anatomy.sh [path-to-wsinspect] > Docs/frame-anatomy.md
set -euo pipefail
W=${1:-.build/debug/wsinspect}
export NO_COLOR=1
cat <<'EOF'
# Lesson: the anatomy of one frame

A browser sends the text "你好" over a WebSocket. A Node server that prints the raw bytes it receives shows:

```
<Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>
```

Twelve bytes. This lesson takes them apart bit by bit with `wsinspect frame`, which accepts that line as it is
(or `81 86 af …`, `0x81,0x86,…`, `\x81\x86…`, or Wireshark's "Copy as hex stream" `8186af87…`):

```
$ wsinspect frame '<Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>'
```

The complete output, which the rest of this page explains section by section:

```
EOF
"$W" frame '<Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>'
cat <<'EOF'
```

## 1. Byte 0 = `0x81` = `1000 0001`

RFC 6455 §5.2 reads the first byte from the most significant bit down:

| bit | name | here | meaning |
|---|---|---|---|
| 0 | FIN | 1 | this is the final (here: the only) frame of the message |
| 1-3 | RSV1, RSV2, RSV3 | 000 | no extension uses them (permessage-deflate would set RSV1 on compressed messages) |
| 4-7 | opcode | 0001 | 0x1 = text |

The opcode table: 0x0 continuation, 0x1 text, 0x2 binary, 0x3-0x7 reserved (data), 0x8 close, 0x9 ping,
0xA pong, 0xB-0xF reserved (control). An unknown opcode makes the receiver fail the connection
(`wsinspect` reports `reserved-opcode`).

**A common mistake.** One tutorial server reads the fields as `FIN = byte0 & 0x001` and
`opcode = byte0 & 0x0F0`. Both masks are wrong: `& 0x001` picks the lowest opcode bit, not FIN, and
`& 0x0F0` picks FIN and the RSV bits. The correct reads are `FIN = byte0 >> 7` and `opcode = byte0 & 0x0F`,
exactly the boundaries drawn in the bit figure above.

## 2. Byte 1 = `0x86` = `1000 0110`

| bit | name | here | meaning |
|---|---|---|---|
| 8 | MASK | 1 | the payload is masked — every client-to-server frame must be (§5.1) |
| 9-15 | payload len | 0000110 = 6 | 7-bit form: the payload is 6 bytes |

The 7-bit field holds 0-125 directly. 126 means "the real length follows in 2 bytes" (16-bit form, for
126-65535); 127 means "it follows in 8 bytes" (64-bit form, most significant bit 0). The shortest form is required
(`non-minimal-length`):

```
$ wsinspect frame --from server 82 7e 00 05 01 02 03 04 05
EOF
"$W" frame --from server 82 7e 00 05 01 02 03 04 05 | sed -n '/^Fields/,/^Unmasking/p' | sed '$d'
"$W" frame --from server 82 7e 00 05 01 02 03 04 05 | sed -n '/^Diagnostics/,$p'
cat <<'EOF'
```

## 3. Bytes 2-5: the masking key `af 87 53 b4`

Because MASK is 1, four key bytes follow the length. The client picks a fresh, unpredictable key for every frame
(§5.3, §10.3); its purpose is to stop a malicious page from making the bytes on the wire look like something a
proxy would misinterpret.

## 4. Bytes 6-11: the masked payload, and the XOR table

Unmasking is one rule: **payload byte i XOR key byte (i mod 4)**. The key repeats every four bytes:

```
EOF
"$W" frame '<Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>' | sed -n '/^Unmasking/,/^Payload/p' | sed '$d'
cat <<'EOF'
```

Read the `unmasked` column down: `e4 bd a0 e5 a5 bd`. In UTF-8, `e4` (`1110 0100`) announces a 3-byte character
and `bd a0` are its continuation bytes (`10xx xxxx`): together U+4F60 "你". `e5 a5 bd` is U+597D "好". XOR is
its own inverse, so the server applies the very same operation to recover the text that the client masked.

## 5. The payload and the checks

A text message must be valid UTF-8 (§5.6, §8.1); "你好" is, so the frame view prints it and the diagnostics are
empty. Add `--from client` and wsinspect also checks that a client masked its frame, or `--from server` that a
server did not:

```
$ wsinspect frame --from server 81 86 af 87 53 b4 4b 3a f3 51 0a 3a
EOF
"$W" frame --from server 81 86 af 87 53 b4 4b 3a f3 51 0a 3a | sed -n '/^Diagnostics/,$p'
cat <<'EOF'
```

The same frame as JSON (one object per frame; the schema is in [json.md](json.md); the `fields` array is left out
here):

```
$ wsinspect frame --json 81 86 af 87 53 b4 4b 3a f3 51 0a 3a
EOF
"$W" frame --json 81 86 af 87 53 b4 4b 3a f3 51 0a 3a | sed -e 's/,"header_hex".*}$/}/'
cat <<'EOF'
```

## Exercises

1. `wsinspect frame 81 05 48 65 6c 6c 6f` — the same idea, unmasked (a server's "Hello", RFC 6455 §5.7).
2. `wsinspect frame 01 03 48 65 6c 80 02 6c 6f` — "Hello" in two fragments: FIN=0 then a continuation with FIN=1.
3. `wsinspect frame 88 02 03 e8` — a close frame with status 1000 (normal closure). Try `88 02 03 ed` (1005,
   which is never sent on the wire) and `88 01 03` (a one-byte close payload).
4. `wsinspect frame 82 7f 00 00 00 00 00 01 00 00` — the header of a 64 KiB binary frame; wsinspect shows the
   header and says how much payload is missing.
5. `wsinspect accept dGhlIHNhbXBsZSBub25jZQ==` — the handshake's Accept derivation (RFC 6455 §1.3).
EOF
