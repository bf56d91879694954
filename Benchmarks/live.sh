#!/usr/bin/env bash
# wsinspect live-capture benchmark: can `wsinspect live` keep up with anything loopback carries?
#
# Generates a ~120 MB capture (wsinspect-capgen, ~155 000 packets, never committed), counts its frames offline, then
# for each output mode starts `wsinspect live -i lo MODE tcp port 8080` (output to a file), replays the capture with
# `tcpreplay --topspeed -i lo`, waits PAUSE seconds, stops wsinspect with SIGINT and prints what it saw: packets, kernel
# drops, frames decoded against the offline count, how long the replay took, how long wsinspect took from the SIGINT
# to its exit (the drain, the backlog it still had to decode, the summaries), and the wall time from the start of
# the replay to wsinspect's exit (PAUSE included). A tcpdump row (when installed) is the reference. Needs root and
# tcpreplay.
#
#   bash Benchmarks/live.sh                                # release build of this tree
#   RUNS=3 bash Benchmarks/live.sh                         # each mode three times
#   BIN=/path/to/bin LIVE_ARGS="-B 2048" bash Benchmarks/live.sh   # another build, extra live options
#
# Results and the machine they came from are recorded in Docs/performance.md ("Live capture").
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-120M}
RUNS=${RUNS:-1}
PAUSE=${PAUSE:-1}
LIVE_ARGS=${LIVE_ARGS:-}
DATA=${DATA:-Benchmarks/data}
mkdir -p "$DATA"

[ "$(id -u)" -eq 0 ] || { echo "live.sh: capturing needs root" >&2; exit 2; }
command -v tcpreplay >/dev/null || { echo "live.sh: tcpreplay is missing (bash scripts/setup.sh installs it)" >&2; exit 2; }

if [ -z "${BIN:-}" ]; then
    echo "== building (release)" >&2
    swift build -c release --product wsinspect >&2
    swift build -c release --product wsinspect-capgen >&2
    BIN=$(swift build -c release --show-bin-path)
fi
CAPGEN=${CAPGEN:-$BIN/wsinspect-capgen}

file="$DATA/ws-live-$SIZE.pcap"
[ -s "$file" ] || "$CAPGEN" --size "$SIZE" --out "$file" >&2
capture=$("$BIN/wsinspect" "$file" --summary --json | tail -1)
sent=$(sed 's/.*"packets":\([0-9]*\).*/\1/' <<<"$capture")
offline=$(sed 's/.*"frames":\([0-9]*\).*/\1/' <<<"$capture")

now() { date +%s.%N; }

# measure NAME MODE...: one live run; prints one row.
measure() {
    local name=$1; shift
    local out="$DATA/live-out.txt" err="$DATA/live-err.txt"
    rm -f "$out" "$err"   # so that the previous run's "listening" line cannot start this replay early
    # shellcheck disable=SC2086
    "$BIN/wsinspect" live -i lo "$@" $LIVE_ARGS tcp port 8080 >"$out" 2>"$err" &
    local pid=$! waited=0
    until grep -q "listening on lo" "$err" 2>/dev/null; do
        sleep 0.05; waited=$((waited + 1))
        if [ "$waited" -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then echo "live.sh: wsinspect did not start: $(cat "$err")" >&2; exit 1; fi
    done
    local start replayed stopped ended
    start=$(now)
    tcpreplay --topspeed -i lo "$file" >"$DATA/tcpreplay.txt" 2>&1
    replayed=$(now)
    sleep "$PAUSE"
    stopped=$(now)
    kill -INT "$pid"
    wait "$pid" || true
    ended=$(now)
    local packets dropped frames
    if grep -q '"kind":"capture"' "$out"; then
        local record
        record=$(grep '"kind":"capture"' "$out" | tail -1)
        packets=$(sed 's/.*"packets":\([0-9]*\).*/\1/' <<<"$record")
        frames=$(sed 's/.*"frames":\([0-9]*\).*/\1/' <<<"$record")
        dropped=$(sed 's/.*"dropped":{"kernel":\([0-9]*\).*/\1/' <<<"$record")
    else
        local line
        line=$(grep '══ Capture' "$out" | tail -1)
        packets=$(sed 's/.*): \([0-9]*\) packets.*/\1/' <<<"$line")
        frames=$(sed 's/.* \([0-9]*\) frames.*/\1/' <<<"$line")
        dropped=$(grep 'libpcap dropped' "$out" | tail -1 | sed 's/.*dropped \([0-9]*\) packets.*/\1/')
    fi
    awk -v n="$name" -v p="$packets" -v s="$sent" -v d="$dropped" -v f="$frames" -v o="$offline" \
        -v r="$(awk -v a="$start" -v b="$replayed" 'BEGIN {print b - a}')" \
        -v x="$(awk -v a="$stopped" -v b="$ended" 'BEGIN {print b - a}')" \
        -v w="$(awk -v a="$start" -v b="$ended" 'BEGIN {print b - a}')" 'BEGIN {
        printf "%-34s %9s %9s %9s %9s %9.2f %9.2f %9.2f  %s\n", n, p, d, f, o, r, x, w, (d == 0 && f == o ? "all" : "MISSED") }'
}

# measure_tcpdump: the reference row, tcpdump writing every packet to /dev/null with its default 2 MiB buffer.
measure_tcpdump() {
    local err="$DATA/live-err.txt" waited=0
    rm -f "$err"
    tcpdump -i lo -w /dev/null tcp port 8080 2>"$err" &
    local pid=$!
    until grep -q "listening on lo" "$err" 2>/dev/null; do
        sleep 0.05; waited=$((waited + 1))
        if [ "$waited" -gt 200 ]; then echo "live.sh: tcpdump did not start: $(cat "$err")" >&2; exit 1; fi
    done
    local start replayed stopped ended
    start=$(now)
    tcpreplay --topspeed -i lo "$file" >"$DATA/tcpreplay.txt" 2>&1
    replayed=$(now)
    sleep "$PAUSE"
    stopped=$(now)
    kill -INT "$pid"
    wait "$pid" || true
    ended=$(now)
    awk -v p="$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$err")" -v s="$sent" \
        -v d="$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$err")" \
        -v r="$(awk -v a="$start" -v b="$replayed" 'BEGIN {print b - a}')" \
        -v x="$(awk -v a="$stopped" -v b="$ended" 'BEGIN {print b - a}')" \
        -v w="$(awk -v a="$start" -v b="$ended" 'BEGIN {print b - a}')" 'BEGIN {
        printf "%-34s %9s %9s %9s %9s %9.2f %9.2f %9.2f  %s\n", "tcpdump -w /dev/null (reference)", p, d, "-", "-", r, x, w, (d == 0 && p == s ? "all" : "MISSED") }'
}

printf '\n== %s: %s bytes, %s packets, %s frames offline; replay: tcpreplay --topspeed -i lo; then %ss, SIGINT\n' \
    "$file" "$(stat -c %s "$file")" "$sent" "$offline" "$PAUSE"
printf '%-34s %9s %9s %9s %9s %9s %9s %9s\n' "wsinspect live ... $LIVE_ARGS" "packets" "dropped" "frames" "offline" "replay s" "stop→exit" "wall s"
for run in $(seq "$RUNS"); do
    if command -v tcpdump >/dev/null; then measure_tcpdump; fi
    measure "--json --max-payload 16" --json --max-payload 16
    measure "--summary" --summary
    measure "text (to a file)"
done
rm -f "$DATA/live-out.txt" "$DATA/live-err.txt" "$DATA/tcpreplay.txt"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB RAM, kernel $(uname -r)"
echo "$(tcpreplay --version 2>&1 | head -1); libpcap $(dpkg-query -W -f '${Version}' libpcap0.8 2>/dev/null || echo '(version unknown)')"
