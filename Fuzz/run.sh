#!/usr/bin/env bash
# Builds the fuzzing harnesses with libFuzzer + AddressSanitizer and runs each for a while, seeded from Samples/.
#
#   bash Fuzz/run.sh                    # every harness, 120 s each
#   bash Fuzz/run.sh 600 pipeline frame # 10 minutes each for two of them
#
# Harnesses (Fuzz/Harnesses/Harnesses.swift): frame, hex, http, extensions, inflate, pipeline, boundary, tls, walk, and
# the payload views' (ViewHarnesses.swift): json, socketio, stomp, mqtt, graphql, views.
# Corpora and logs go to Fuzz/out/ (not committed). An input that crashes is copied to Fuzz/regressions/HARNESS/,
# which the test suite replays (FuzzRegressionTests); fix the bug, keep the file. Results: Docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-120}
shift || true
HARNESSES=${*:-"frame hex http extensions inflate pipeline boundary tls walk json socketio stomp mqtt graphql views"}
OUT=Fuzz/out
mkdir -p "$OUT"

if ! [ -e /usr/include/pcap/pcap.h ] || ! [ -e /usr/include/zlib.h ]; then
    apt-get update -qq && apt-get install -y -qq libpcap-dev zlib1g-dev >/dev/null
fi
echo "== building wsinspect-fuzz with -sanitize=fuzzer,address" >&2
swift build --product wsinspect-fuzz --build-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2
BIN=$(swift build --build-path .build-fuzz --show-bin-path)/wsinspect-fuzz

rec() {   # rec FLAGS TEXT: one message of a view harness's input ([flags][length][bytes]; ASCII text, < 256 bytes)
    printf "$(printf '\\x%02x\\x%02x' "$1" "${#2}")"
    printf '%s' "$2"
}

recz() {  # recz FLAGS TEXT: the same with a NUL after the text (a STOMP frame's end)
    printf "$(printf '\\x%02x\\x%02x' "$1" "$((${#2} + 1))")"
    printf '%s\0' "$2"
}

seed() {   # seed HARNESS DIR: a few valid inputs of the harness's kind
    local h=$1 dir=$2
    mkdir -p "$dir"
    case $h in
    frame)
        printf '\x01\x81\x86\xaf\x87\x53\xb4\x4b\x3a\xf3\x51\x0a\x3a' > "$dir/seed-nihao"       # masked "你好"
        printf '\x00\x88\x02\x03\xe8' > "$dir/seed-close"
        printf '\x02\x82\x7e\x00\x7e' > "$dir/seed-16bit"
        printf '\x03\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00\x01\x02' > "$dir/seed-msb";;
    hex)
        printf '<Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>' > "$dir/seed-node"
        printf '0x81,0x05:\\x48 65\n6c 6c 6f' > "$dir/seed-mixed";;
    http)
        printf 'GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n' > "$dir/seed-request"
        printf 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection : Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n' > "$dir/seed-response";;
    extensions)
        printf 'permessage-deflate; client_max_window_bits, permessage-deflate; server_no_context_takeover\npermessage-deflate; server_max_window_bits=10' > "$dir/seed-offer"
        printf 'x-webkit-deflate-frame; a="b,c"; d=1\npermessage-deflate; client_max_window_bits=8' > "$dir/seed-quoted";;
    inflate)
        printf '\x07\xf2\x48\xcd\xc9\xc9\x07\x00\xf2\x00\x11\x00\x00' > "$dir/seed-hello-pair"
        printf '\x87\x00\x05\x00\xfa\xff\x48\x65\x6c\x6c\x6f\x00' > "$dir/seed-stored";;
    walk)
        printf '\x07\xf2\x48\xcd\xc9\xc9\x07\x00' > "$dir/seed-hello"                      # RFC 7692 §7.2.3.1
        printf '\x0f\xf3\x48\xcd\xc9\xc9\x07\x00\x00' > "$dir/seed-bfinal"                 # §7.2.3.4
        printf '\x17\xf2\x48\x05\x00\x00\x00\xff\xff\xca\xc9\xc9\x07\x00' > "$dir/seed-two-blocks"
        printf '\x07\x00\x05\x00\xfa\xff\x48\x65\x6c\x6c\x6f\x00' > "$dir/seed-stored"
        # A dynamic block: zlib's output for a few hundred bytes of English.
        printf '\x27' > "$dir/seed-dynamic"
        python3 -c "import zlib,sys; c=zlib.compressobj(9,zlib.DEFLATED,-15); t=b'the quick brown fox jumps over the lazy dog; '*40; d=c.compress(t)+c.flush(zlib.Z_SYNC_FLUSH); sys.stdout.buffer.write(d[:-4])" >> "$dir/seed-dynamic";;
    boundary)
        printf '\x05\x5a\x5a\x81\x05Hello\x82\x03\xaa\xbb\xcc\x89\x00\xff' > "$dir/seed-hello"
        printf '\x2a\x00\x05\x82\x7e\x01\x00\x88\x02\x03\xe8\x81\x82\x01\x02\x03\x04\x69\x6b' > "$dir/seed-masked";;
    tls)
        printf '\x05\x40' > "$dir/seed-tls13-handshake"          # a TLS 1.3 conversation, cut at its middle
        printf '\x03\x41\x17\x03\x03\x00\x05hello' > "$dir/seed-tls12-record"
        printf '\x90\xfe\x16\x03\x01\x00\x04\x01\x00\x00\x00' > "$dir/seed-empty-hello";;
    json)
        printf '{"a":[1,-2.5e3,true,null],"b":"\\u00e9\\ud83d\\ude00 \\n","c":{}}' > "$dir/seed-object"
        printf '[0.1, "\xe4\xbd\xa0", "\\u202e", []]' > "$dir/seed-array";;
    socketio|views)
        { printf '\x00'; rec 1 '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'; rec 0 '40';
          rec 1 '40{"sid":"x"}'; rec 0 '4212["sum",[1,2]]'; rec 1 '4312[3]'; rec 0 '451-/f,["up",{"_placeholder":true,"num":0}]';
          printf '\x02\x02\x00\x01'; rec 1 '2'; rec 0 '3'; } > "$dir/seed-session"
        { printf '\x00'; rec 0 '2probe'; rec 1 '3probe'; rec 0 '5'; } > "$dir/seed-probe";;&
    stomp|views)
        { printf '\x02'; recz 0 $'CONNECT\naccept-version:1.2\nhost:h\npasscode:pw\n\n'; recz 1 $'CONNECTED\nversion:1.2\n\n'
          recz 0 $'SEND\ndestination:/q\nreceipt:1\ncontent-length:2\n\nhi'; rec 0 $'SUBSCRIBE\nid:0\ndestination:/q\n\n'
          printf '\x00\x01\x00'; recz 1 $'RECEIPT\nreceipt-id:1\n\n'; rec 1 $'\n'; } > "$dir/seed-stomp";;&
    mqtt|views)
        { printf '\x01'
          printf '\x02\x0e\x10\x0c\x00\x04MQTT\x05\x02\x00\x3c\x00\x00\x00'          # CONNECT 5.0 (12-byte body incl. props 00)
          printf '\x03\x05\x20\x03\x00\x00\x00'                                          # CONNACK
          printf '\x02\x0a\x82\x08\x00\x01\x00\x00\x01a\x01\xc0\x00'                    # SUBSCRIBE "a" QoS 1, PINGREQ
          printf '\x0b\x0b\x32\x09\x00\x01a\x00\x07\x00hey'; } > "$dir/seed-mqtt";;&     # PUBLISH QoS 1 in 2 pieces
    graphql|views)
        { printf '\x03'; rec 0 '{"type":"connection_init","payload":{}}'; rec 1 '{"type":"connection_ack"}';
          rec 0 '{"id":"1","type":"subscribe","payload":{"query":"subscription S { a }","variables":{"x":1}}}';
          rec 1 '{"id":"1","type":"next","payload":{"data":{"a":1}}}'; rec 1 '{"id":"1","type":"complete"}'; } > "$dir/seed-graphql";;
    pipeline)
        for f in Samples/*.pcap Samples/*.pcapng; do
            [ "$(stat -c %s "$f")" -le 200000 ] && cp "$f" "$dir/seed-$(basename "$f")"
        done;;
    esac
}

printf '%-11s %8s %12s %10s %9s %s\n' harness seconds executions exec/s corpus findings > "$OUT/summary.txt"
for h in $HARNESSES; do
    corpus="$OUT/$h/corpus"
    mkdir -p "$corpus" "$OUT/$h/artifacts" "Fuzz/regressions/$h"
    seed "$h" "$corpus"
    max_len=4096
    [ "$h" = pipeline ] && max_len=262144
    echo "== fuzzing $h for $SECONDS_EACH s" >&2
    set +e
    WSINSPECT_FUZZ_HARNESS=$h ASAN_OPTIONS=detect_leaks=1 "$BIN" "$corpus" -max_total_time="$SECONDS_EACH" \
        -max_len=$max_len -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$OUT/$h/artifacts/" > "$OUT/$h/log.txt" 2>&1
    status=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$h/log.txt" | grep -o '[0-9]*$' || echo 0)
    found=$(ls "$OUT/$h/artifacts" | wc -l)
    for artifact in "$OUT/$h/artifacts"/*; do
        [ -e "$artifact" ] && cp "$artifact" "Fuzz/regressions/$h/"
    done
    printf '%-11s %8d %12d %10d %9d %s\n' "$h" "$SECONDS_EACH" "$runs" $((runs / SECONDS_EACH)) "$(ls "$corpus" | wc -l)" \
        "$found (exit $status)" >> "$OUT/summary.txt"
done
cat "$OUT/summary.txt"
