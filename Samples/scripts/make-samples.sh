#!/usr/bin/env bash
# Regenerates the captures in Samples/ by running real WebSocket peers on loopback while tcpdump (or dumpcap)
# records them. Each capture gets a peers' log, NAME.log.jsonl: what each peer's application sent — the truth the
# tests hold wsinspect's decoding to. Needs root (to capture); installs what it needs from Debian and PyPI.
#
#   Samples/scripts/make-samples.sh            all samples
#   Samples/scripts/make-samples.sh NAME...    only these
#
# The wss:// samples also get NAME.keys, the TLS key log the peers wrote. The wss:// and proxy samples are
# cross-checked with tshark (scripts/tls_check.py): the script stops if tshark cannot decrypt one or decodes other
# messages than its log's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=$(dirname "$here")
tools="$samples/.tools"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

setup() {
    export DEBIAN_FRONTEND=noninteractive
    local need=()
    for p in tcpdump tshark nodejs openssl; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
    if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
    # websockets 15 or later: the proxy samples need connect(proxy=...).
    python3 -c 'import sys, websockets; sys.exit(int(websockets.__version__.split(".")[0]) < 15)' 2>/dev/null ||
        pip install -q -U 'websockets>=15'
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

sample_violations() {
    # A deliberately misbehaving client and server (violations_peers.py, standard library only): a correct handshake,
    # then frames that break RFC 6455's frame- and message-level rules, each in its own frame, written byte by byte.
    local port; port=$(free_port); local out="$samples/violations.pcap" log="$samples/violations.log.jsonl"; rm -f "$log"
    tcpdump_lo "$out" "$port"
    start_server timeout 60 python3 "$here/violations_peers.py" server --port "$port" --log "$log"
    timeout 60 python3 "$here/violations_peers.py" client --port "$port" --log "$log"
    wait "$server_pid"; stop_capture
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

# ---- wss:// and HTTP CONNECT proxy samples ----------------------------------------------------------------------
# Listening ports come from 18400-18499; each capture records only its own ports.

# sample_ports N: N free loopback ports in 18400-18499, separated by spaces.
sample_ports() {
    python3 - "$1" <<'PY'
import socket, sys
found = []
for port in range(18400, 18500):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        found.append(port)
    except OSError:
        pass
    finally:
        s.close()
    if len(found) == int(sys.argv[1]):
        print(" ".join(map(str, found)))
        sys.exit(0)
sys.exit("no free port in 18400-18499")
PY
}

# A self-signed RSA certificate for 127.0.0.1, made once per run in the temporary directory and deleted with it:
# nothing secret is committed, only the key logs of the recorded connections.
make_cert() {
    [ -f "$work/cert.pem" ] && return 0
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
        -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
}

# tls13_conf SUITE: writes an OpenSSL config that limits TLS 1.3 to SUITE and prints its path. Python's ssl module
# cannot choose TLS 1.3 suites; OpenSSL applies the system_default section to every SSL_CTX (via OPENSSL_CONF).
tls13_conf() {
    local conf="$work/$1.cnf"
    printf '%s\n' 'openssl_conf = openssl_init' '[openssl_init]' 'ssl_conf = ssl_module' '[ssl_module]' \
        'system_default = tls_defaults' '[tls_defaults]' "Ciphersuites = $1" >"$conf"
    echo "$conf"
}

# start_ready OUTFILE COMMAND...: starts a helper (a server or the proxy) and waits for it to print "ready";
# ready_pid is its process.
start_ready() {
    local output=$1; shift
    "$@" >"$output" 2>&1 &
    ready_pid=$!
    for _ in $(seq 100); do
        grep -q ready "$output" && return 0
        sleep 0.05
    done
    cat "$output" >&2; return 1
}

# check_sample NAME [tls_check.py options]: the two peers' key logs agree (when both wrote one), and tshark, given
# NAME.keys, decrypts the capture and decodes exactly the messages of NAME.log.jsonl (scripts/tls_check.py, which also
# prints the TLS version, the cipher suite, any KeyUpdate and any CONNECT). The script stops when they do not.
check_sample() {
    local name=$1; shift
    local keys=()
    if [ -f "$samples/$name.keys" ]; then
        keys=(--keys "$samples/$name.keys")
        if [ -f "$work/server.keys" ] &&
           ! diff <(grep -v '^#' "$samples/$name.keys" | sort) <(grep -v '^#' "$work/server.keys" | sort) >/dev/null; then
            echo "$name: the client's and the server's key logs differ" >&2; return 1
        fi
    fi
    python3 "$here/tls_check.py" "$samples/$name.pcap" --log "$samples/$name.log.jsonl" "${keys[@]}" "$@" >&2
}

# wss_sample NAME COMPRESSION TLS-MAX TLS12-CIPHER TLS13-SUITE BIG: a Python server and client over wss:// running
# py_peer.py's "wss" script (BIG: the size of its big message); the client writes NAME.keys, the server its own copy.
wss_sample() {
    local name=$1 compression=$2 tls_max=$3 cipher=$4 suite=$5 big=$6
    make_cert
    local port; port=$(sample_ports 1)
    local out="$samples/$name.pcap" log="$samples/$name.log.jsonl" keys="$samples/$name.keys"
    rm -f "$log" "$keys" "$work/server.keys"
    local tls=(--cert "$work/cert.pem" --tls-max "$tls_max" --compression "$compression")
    if [ -n "$cipher" ]; then tls+=(--ciphers "$cipher"); fi
    local envs=(BIG="$big")
    if [ -n "$suite" ]; then envs+=(OPENSSL_CONF="$(tls13_conf "$suite")"); fi
    tcpdump_lo "$out" "$port"
    start_ready "$work/server.out" env "${envs[@]}" timeout 60 python3 "$here/py_peer.py" server --port "$port" \
        --log "$log" --key "$work/key.pem" --keylog "$work/server.keys" "${tls[@]}"
    env "${envs[@]}" timeout 60 python3 "$here/py_peer.py" client --url "wss://127.0.0.1:$port/$name" --log "$log" \
        --script wss --keylog "$keys" "${tls[@]}"
    wait "$ready_pid" || true; stop_capture
    check_sample "$name"
}

sample_keyupdate() {
    # TLS 1.3 KeyUpdates: openssl s_client as the client (its "k" and "K" commands, driven by keyupdate_client.py),
    # the Python echo server as the server; s_client writes the key log, the server its own copy.
    make_cert
    local port; port=$(sample_ports 1)
    local name=wss-keyupdate; local out="$samples/$name.pcap" log="$samples/$name.log.jsonl" keys="$samples/$name.keys"
    rm -f "$log" "$keys" "$work/server.keys"
    tcpdump_lo "$out" "$port"
    start_ready "$work/server.out" timeout 60 python3 "$here/py_peer.py" server --port "$port" --log "$log" \
        --cert "$work/cert.pem" --key "$work/key.pem" --keylog "$work/server.keys"
    timeout 60 python3 "$here/keyupdate_client.py" --port "$port" --cafile "$work/cert.pem" --keylog "$keys" --log "$log"
    wait "$ready_pid" || true; stop_capture
    check_sample "$name" --key-updates 3
}

# proxy_sample NAME ws|wss|refused: a Python client that reaches the server through connect_proxy.py (refused: the
# proxy answers 407 and there is no server). The capture records both the client-proxy connection (the one with the
# CONNECT) and the proxy-server connection.
proxy_sample() {
    local name=$1 mode=$2
    local ports; ports=$(sample_ports 2); local port=${ports% *} proxy=${ports#* }
    local out="$samples/$name.pcap" log="$samples/$name.log.jsonl" keys="$samples/$name.keys"
    rm -f "$log" "$keys" "$work/server.keys"
    local scheme=ws server_tls=() client_tls=() proxy_args=() server_pid=
    if [ "$mode" = wss ]; then
        make_cert; scheme=wss
        server_tls=(--cert "$work/cert.pem" --key "$work/key.pem" --keylog "$work/server.keys")
        client_tls=(--cert "$work/cert.pem" --keylog "$keys")
    fi
    if [ "$mode" = refused ]; then proxy_args=(--refuse); fi
    start_capture "$out" tcpdump -i lo -s 0 -U --immediate-mode -w "$out" "tcp port $port or tcp port $proxy"
    if [ "$mode" != refused ]; then
        start_ready "$work/server.out" timeout 60 python3 "$here/py_peer.py" server --port "$port" --log "$log" \
            "${server_tls[@]}"
        server_pid=$ready_pid
    fi
    start_ready "$work/proxy.out" timeout 60 python3 "$here/connect_proxy.py" --port "$proxy" --log "$log" \
        "${proxy_args[@]}"
    local proxy_pid=$ready_pid
    BIG=3000 timeout 60 python3 "$here/py_peer.py" client --url "$scheme://127.0.0.1:$port/$name" --log "$log" \
        --script wss --proxy "http://127.0.0.1:$proxy" "${client_tls[@]}"
    wait "$proxy_pid" || true
    if [ -n "$server_pid" ]; then wait "$server_pid" || true; fi
    stop_capture
    check_sample "$name"
}

# ---- payload-view samples: Socket.IO, STOMP, MQTT and GraphQL over WebSocket ------------------------------------
# Real libraries and brokers (scripts/requirements-views.txt, Debian's mosquitto and rabbitmq-server) on fixed
# loopback ports, which the broker configurations in scripts/ name: 18501 Socket.IO, 18502 Web-STOMP, 18503 MQTT over
# WebSocket (18513 mosquitto's plain MQTT listener, not recorded), 18504 GraphQL; RabbitMQ's own node uses 18522
# (distribution) and 18524 (a private epmd). Each capture records only its WebSocket port. scripts/views_check.py
# then checks with tshark that the capture holds exactly the logged messages.
views_py="$tools/views-venv/bin/python"

# setup_views: the brokers from Debian and the Python peers in their own virtual environment (made again when
# requirements-views.txt changes).
setup_views() {
    [ -n "${views_ready:-}" ] && return 0
    local need=()
    for p in mosquitto rabbitmq-server; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
    if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
    if ! cmp -s "$here/requirements-views.txt" "$tools/views-venv/requirements-views.txt"; then
        rm -rf "$tools/views-venv" && mkdir -p "$tools" && python3 -m venv "$tools/views-venv"
        "$views_py" -m pip install -q -r "$here/requirements-views.txt"
        cp "$here/requirements-views.txt" "$tools/views-venv/requirements-views.txt"
    fi
    views_ready=1
}

# ports_free PORT...: stops when one of these loopback ports is taken.
ports_free() {
    python3 - "$@" <<'PY'
import socket, sys
for port in map(int, sys.argv[1:]):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME-WAIT is no obstacle
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        sys.exit(f"port {port} is taken: the payload-view samples need it")
    finally:
        s.close()
PY
}

# broker_log FILE LOG PATTERN: appends the broker's own log lines that match PATTERN to the peers' log, as
# {"peer": "server", "kind": "broker-log", "line": ...} (colours and timestamps removed).
broker_log() {
    python3 - "$@" <<'PY'
import json, re, sys
source, log, pattern = sys.argv[1:]
with open(log, "a") as out:
    for line in open(source, encoding="utf-8", errors="replace"):
        line = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
        line = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\+00:00 ", "", line)
        if re.search(pattern, line):
            out.write(json.dumps({"peer": "server", "kind": "broker-log", "line": line}, ensure_ascii=False) + "\n")
PY
}

# view_sample NAME PORT SCRIPT: a Python server and client (SCRIPT server / SCRIPT client) under a loopback capture.
view_sample() {
    local name=$1 port=$2 script=$3
    local out="$samples/$name.pcap" log="$samples/$name.log.jsonl"; rm -f "$log"
    ports_free "$port"
    tcpdump_lo "$out" "$port" -B 16384
    start_ready "$work/server.out" timeout 60 "$views_py" "$here/$script" server --port "$port" --log "$log"
    local server=$ready_pid
    timeout 60 "$views_py" "$here/$script" client --port "$port" --log "$log"
    wait "$server"; stop_capture
}

sample_stomp() {
    # A private RabbitMQ node (its own name, epmd, data directory and configuration, all in the temporary directory)
    # with the Web-STOMP plugin; stomp.py's client talks to it, then the node is stopped.
    local port=18502 out="$samples/stomp.pcap" log="$samples/stomp.log.jsonl" rmq="$work/rabbitmq"; rm -f "$log"
    ports_free "$port" 18522 18524
    mkdir -p "$rmq" && cp "$here/rabbitmq-views.conf" "$rmq/rabbitmq.conf" && : >"$rmq/rabbitmq-env.conf"
    echo '[rabbitmq_web_stomp].' >"$rmq/enabled_plugins"
    local node=wsinspect-samples@localhost
    local envs=(HOME="$rmq" RABBITMQ_NODENAME="$node" RABBITMQ_CONFIG_FILE="$rmq/rabbitmq.conf"
                RABBITMQ_CONF_ENV_FILE="$rmq/rabbitmq-env.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$rmq/enabled_plugins"
                RABBITMQ_MNESIA_BASE="$rmq/mnesia" RABBITMQ_LOG_BASE="$rmq/log" RABBITMQ_DIST_PORT=18522
                ERL_EPMD_PORT=18524 ERL_EPMD_ADDRESS=127.0.0.1
                RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
    epmd -port 18524 -address 127.0.0.1 &
    local epmd_pid=$!
    env "${envs[@]}" timeout 180 /usr/lib/rabbitmq/bin/rabbitmq-server >"$work/rabbitmq.out" 2>&1 &
    local broker=$!
    for _ in $(seq 120); do grep -q "Server startup complete" "$work/rabbitmq.out" && break; sleep 0.5; done
    grep -q "Server startup complete" "$work/rabbitmq.out" || { tail -20 "$work/rabbitmq.out" >&2; return 1; }
    local before; before=$(wc -l <"$work/rabbitmq.out")
    tcpdump_lo "$out" "$port" -B 16384
    timeout 60 "$views_py" "$here/stomp_peers.py" client --port "$port" --log "$log"
    stop_capture
    # What the broker logged while the client ran (before it was asked to stop).
    tail -n +"$((before + 1))" "$work/rabbitmq.out" >"$work/rabbitmq.run"
    env "${envs[@]}" timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" stop >/dev/null 2>&1 || kill "$broker"
    wait "$broker" || true
    kill "$epmd_pid"; wait "$epmd_pid" 2>/dev/null || true
    broker_log "$work/rabbitmq.run" "$log" '\S'
}

sample_mqtt() {
    # mosquitto from Debian with scripts/mosquitto-views.conf; paho-mqtt clients (3.1.1, then 5.0) over WebSocket.
    local port=18503 out="$samples/mqtt.pcap" log="$samples/mqtt.log.jsonl"; rm -f "$log"
    ports_free "$port" 18513
    tcpdump_lo "$out" "$port" -B 16384
    timeout 90 stdbuf -oL mosquitto -c "$here/mosquitto-views.conf" >"$work/mosquitto.out" 2>&1 &
    local broker=$!
    for _ in $(seq 100); do grep -q "running" "$work/mosquitto.out" && break; sleep 0.05; done
    grep -q "running" "$work/mosquitto.out" || { cat "$work/mosquitto.out" >&2; return 1; }
    timeout 60 "$views_py" "$here/mqtt_peers.py" client --port "$port" --log "$log"
    kill "$broker"; wait "$broker" || true
    stop_capture
    # Everything mosquitto logged between its start and its end, one entry a line (a topic on a line of its own
    # belongs to the line before it).
    broker_log "$work/mosquitto.out" "$log" '^(?!mosquitto version|Config loaded|Opening )'
}

# view_run NAME VIEW SUBPROTOCOL COMMAND...: records a payload-view sample with COMMAND and cross-checks it with
# tshark (scripts/views_check.py); records it again, up to three times in all, when the kernel dropped packets
# (a loaded machine) or the check fails.
view_run() {
    local name=$1 view=$2 subprotocol=$3; shift 3
    setup_views
    for attempt in 1 2 3; do
        "$@"
        if ! grep -qE '^[1-9][0-9]* packets? dropped by kernel' "$work/capture.err" &&
           python3 "$here/views_check.py" "$samples/$name.pcap" --log "$samples/$name.log.jsonl" --view "$view" \
               --subprotocol "$subprotocol" >&2; then
            return 0
        fi
        echo "$name: packets dropped or the check failed (attempt $attempt of 3)" >&2
    done
    return 1
}

all=(python-echo node-ws concurrent ipv6 any-sll2 any-sll pcapng nanosecond tutorial-server-a tutorial-server-b
     python-deflate python-deflate-cnct node-ws-deflate fragments fragments-deflate
     close-1000 close-1001 close-4000 close-reset browser-chromium
     wss-tls13 wss-tls13-aes128 wss-tls13-chacha wss-tls12-gcm wss-tls12-aes256 wss-tls12-chacha wss-keyupdate
     ws-connect-proxy wss-connect-proxy connect-refused violations
     socketio stomp mqtt graphql)
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
        # wss_sample NAME COMPRESSION TLS-MAX TLS12-CIPHER TLS13-SUITE BIG
        wss-tls13) wss_sample "$name" none 1.3 "" "" 40000 ;;      # OpenSSL's default suite, TLS_AES_256_GCM_SHA384
        wss-tls13-aes128) wss_sample "$name" none 1.3 "" TLS_AES_128_GCM_SHA256 20000 ;;
        wss-tls13-chacha) wss_sample "$name" none 1.3 "" TLS_CHACHA20_POLY1305_SHA256 20000 ;;
        wss-tls12-gcm) wss_sample "$name" deflate 1.2 ECDHE-RSA-AES128-GCM-SHA256 "" 40000 ;;
        wss-tls12-aes256) wss_sample "$name" none 1.2 ECDHE-RSA-AES256-GCM-SHA384 "" 20000 ;;
        wss-tls12-chacha) wss_sample "$name" none 1.2 ECDHE-RSA-CHACHA20-POLY1305 "" 20000 ;;
        wss-keyupdate) sample_keyupdate ;;
        ws-connect-proxy) proxy_sample "$name" ws ;;
        wss-connect-proxy) proxy_sample "$name" wss ;;
        connect-refused) proxy_sample "$name" refused ;;
        violations) sample_violations ;;
        socketio) view_run socketio socketio none view_sample socketio 18501 socketio_peers.py ;;
        stomp) view_run stomp stomp v12.stomp sample_stomp ;;
        mqtt) view_run mqtt mqtt mqtt sample_mqtt ;;
        graphql) view_run graphql graphql graphql-transport-ws view_sample graphql 18504 graphql_peers.py ;;
        *) echo "unknown sample $name" >&2; exit 2 ;;
    esac
done
ls -l "$samples"/*.pcap* >&2
