#!/usr/bin/env bash
# Regenerates the captures in Samples/ by running real WebSocket peers on loopback while tcpdump (or dumpcap)
# records them. Each capture gets a peers' log, NAME.log.jsonl: what each peer's application sent — the truth the
# tests hold wsinspect's decoding to. Needs root (to capture); installs what it needs from Debian and PyPI.
#
#   Samples/scripts/make-samples.sh            all samples
#   Samples/scripts/make-samples.sh NAME...    only these
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=$(dirname "$here")
tools="$samples/.tools"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

setup() {
    export DEBIAN_FRONTEND=noninteractive
    local need=()
    for p in tcpdump tshark nodejs; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
    if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
    python3 -c 'import websockets' 2>/dev/null || pip install -q 'websockets>=14'
    if [ ! -d "$tools/node-ws" ]; then
        # Debian's node-ws conflicts with this machine's Node build when installed with apt: unpack it instead.
        mkdir -p "$tools" && (cd "$work" && apt-get download node-ws >/dev/null 2>&1 && dpkg -x node-ws_*.deb "$tools/node-ws")
    fi
    export NODE_PATH="$tools/node-ws/usr/share/nodejs"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_capture FILE COMMAND...: starts a capture and waits until it is listening.
start_capture() {
    local file=$1; shift
    rm -f "$file"
    "$@" 2>"$work/capture.err" &
    capture_pid=$!
    for _ in $(seq 100); do
        grep -qiE 'listening on|capturing on' "$work/capture.err" && return 0
        sleep 0.05
    done
    cat "$work/capture.err" >&2; return 1
}

stop_capture() {
    sleep 1
    kill -INT "$capture_pid"
    wait "$capture_pid" || true
    grep -iE 'captured|received|dropped' "$work/capture.err" >&2 || true
}

# start_server COMMAND...: starts a server and waits for it to print "ready".
start_server() {
    "$@" >"$work/server.out" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        grep -q ready "$work/server.out" && return 0
        sleep 0.05
    done
    cat "$work/server.out" >&2; return 1
}

tcpdump_lo() { start_capture "$1" tcpdump -i lo -s 0 -U --immediate-mode -w "$1" "${@:3}" "tcp port $2"; }

sample_python_echo() {
    local port; port=$(free_port); local out="$samples/python-echo.pcap" log="$samples/python-echo.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$log"
    python3 "$here/py_peer.py" client --url "ws://127.0.0.1:$port/chat" --log "$log" --script basic
    wait "$server_pid"; stop_capture
}

sample_node_ws() {
    local port; port=$(free_port); local out="$samples/node-ws.pcap" log="$samples/node-ws.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server node "$here/node_peer.js" server "$port" "$log"
    node "$here/node_peer.js" client "ws://127.0.0.1:$port/" "$log"
    wait "$server_pid"; stop_capture
}

sample_concurrent() {
    local port; port=$(free_port); local out="$samples/concurrent.pcap" log="$samples/concurrent.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$log" --connections 3
    for name in alice bob carol; do
        PEER_NAME=$name python3 "$here/py_peer.py" client --url "ws://127.0.0.1:$port/room" --log "$log" --script chat &
    done
    wait $(jobs -p | grep -v "^$capture_pid$" | grep -v "^$server_pid$") 2>/dev/null || true
    wait "$server_pid"; stop_capture
}

sample_ipv6() {
    local port; port=$(free_port); local out="$samples/ipv6.pcap" log="$samples/ipv6.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server python3 "$here/py_peer.py" server --host ::1 --port "$port" --log "$log"
    python3 "$here/py_peer.py" client --url "ws://[::1]:$port/v6" --log "$log" --script chat
    wait "$server_pid"; stop_capture
}

sample_any() {  # any-sll2.pcap (tcpdump -i any) and any-sll.pcap (-y LINUX_SLL)
    local name=$1 link=$2
    local port; port=$(free_port); local out="$samples/$name.pcap" log="$samples/$name.log.jsonl"; rm -f "$log"
    start_capture "$out" tcpdump -i any -y "$link" -s 0 -U --immediate-mode -w "$out" "tcp port $port"
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$log"
    python3 "$here/py_peer.py" client --url "ws://127.0.0.1:$port/any" --log "$log" --script chat
    wait "$server_pid"; stop_capture
}

sample_pcapng() {
    local port; port=$(free_port); local out="$samples/pcapng.pcapng" log="$samples/pcapng.log.jsonl"; rm -f "$log"
    start_capture "$out" dumpcap -i lo -f "tcp port $port" -w "$out"
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$log"
    python3 "$here/py_peer.py" client --url "ws://127.0.0.1:$port/ng" --log "$log" --script chat
    wait "$server_pid"; stop_capture
}

sample_nanosecond() {
    local port; port=$(free_port); local out="$samples/nanosecond.pcap" log="$samples/nanosecond.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port" --time-stamp-precision=nano
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$log"
    python3 "$here/py_peer.py" client --url "ws://127.0.0.1:$port/ns" --log "$log" --script chat
    wait "$server_pid"; stop_capture
}

sample_tutorial_server_a() {
    local port; port=$(free_port); local out="$samples/tutorial-server-a.pcap" log="$samples/tutorial-server-a.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server node "$here/tutorial_servers.js" A "$port" "$log"
    python3 "$here/mini_peer.py" client --port "$port" --log "$log" --messages "hello,你好"
    wait "$server_pid" || true; stop_capture
}

sample_tutorial_server_b() {
    local port; port=$(free_port); local out="$samples/tutorial-server-b.pcap" log="$samples/tutorial-server-b.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server node "$here/tutorial_servers.js" B "$port" "$log"
    # First a legal "Upgrade: WebSocket", which server B refuses by closing; then lower-case, which it accepts.
    python3 "$here/mini_peer.py" client --port "$port" --log "$log" --upgrade-token WebSocket
    python3 "$here/mini_peer.py" client --port "$port" --log "$log" --messages "hi"
    wait "$server_pid" || true; stop_capture
}

# python_sample NAME SCRIPT COMPRESSION [ENV=VALUE...]: one Python server and client under a loopback capture.
python_sample() {
    local name=$1 script=$2 compression=$3; shift 3
    local port; port=$(free_port); local out="$samples/$name.pcap" log="$samples/$name.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$log" --compression "$compression"
    env "$@" python3 "$here/py_peer.py" client --url "ws://127.0.0.1:$port/$name" --log "$log" --script "$script" --compression "$compression"
    wait "$server_pid" || true; stop_capture
}

sample_node_deflate() {
    local port; port=$(free_port); local out="$samples/node-ws-deflate.pcap" log="$samples/node-ws-deflate.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server node "$here/node_peer.js" server "$port" "$log" deflate
    node "$here/node_peer.js" client "ws://127.0.0.1:$port/" "$log" deflate
    wait "$server_pid"; stop_capture
}

sample_browser() {
    # Headless Chromium (Debian's chromium) as the client: its own handshake and permessage-deflate offer.
    dpkg -s chromium >/dev/null 2>&1 || apt-get install -y -qq chromium >/dev/null
    local port; port=$(free_port); local out="$samples/browser-chromium.pcap" log="$samples/browser-chromium.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server python3 "$here/py_peer.py" server --port "$port" --log "$work/server.log" --compression deflate
    chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 "file://$here/browser_page.html#$port" 2>"$work/chrome.err" &
    local chrome=$!
    wait "$server_pid" || true
    kill "$chrome" 2>/dev/null || true; wait "$chrome" 2>/dev/null || true
    stop_capture
    # Interleave the two logs by what each side sent (client first, then the echo).
    python3 - "$work/chrome.err" "$work/server.log" "$log" <<'PY'
import json, re, sys
client = [l.split("WSLOG ", 1)[1].rsplit('", source', 1)[0].replace('\\"', '"')
          for l in open(sys.argv[1], encoding="utf-8", errors="replace") if "WSLOG " in l]
server = [l.strip() for l in open(sys.argv[2])]
with open(sys.argv[3], "w") as out:
    for i, line in enumerate(client):
        out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
        if i < len(server):
            out.write(server[i] + "\n")
PY
}

all=(python-echo node-ws concurrent ipv6 any-sll2 any-sll pcapng nanosecond tutorial-server-a tutorial-server-b
     python-deflate python-deflate-cnct node-ws-deflate fragments fragments-deflate
     close-1000 close-1001 close-4000 close-reset browser-chromium)
setup
for name in "${@:-${all[@]}}"; do
    echo "sample: $name" >&2
    case $name in
        python-echo) sample_python_echo ;;
        node-ws) sample_node_ws ;;
        concurrent) sample_concurrent ;;
        ipv6) sample_ipv6 ;;
        any-sll2) sample_any any-sll2 LINUX_SLL2 ;;
        any-sll) sample_any any-sll LINUX_SLL ;;
        pcapng) sample_pcapng ;;
        nanosecond) sample_nanosecond ;;
        tutorial-server-a) sample_tutorial_server_a ;;
        tutorial-server-b) sample_tutorial_server_b ;;
        python-deflate) python_sample python-deflate deflate deflate ;;
        python-deflate-cnct) python_sample python-deflate-cnct deflate cnct ;;
        node-ws-deflate) sample_node_deflate ;;
        fragments) python_sample fragments fragments none ;;
        fragments-deflate) python_sample fragments-deflate fragments deflate ;;
        close-1000|close-1001|close-4000|close-reset) python_sample "$name" close none CLOSE="${name#close-}" ;;
        browser-chromium) sample_browser ;;
        *) echo "unknown sample $name" >&2; exit 2 ;;
    esac
done
ls -l "$samples"/*.pcap* >&2
