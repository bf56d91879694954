#!/usr/bin/env bash
# wsinspect benchmark: generates synthetic captures (100 MB, 1 GB, and a 300 MB permessage-deflate one; never
# committed), builds release, and prints, side by side, wall time (median of RUNS runs, page cache warm), throughput
# and peak resident memory for the libpcap floor, wsinspect's modes, and tshark when it is installed.
#
#   bash Benchmarks/run.sh                 # everything (about 5 minutes on 2 cores, plus tshark if present)
#   SIZES="100M" RUNS=3 bash Benchmarks/run.sh
#   TSHARK_RUNS=0 bash Benchmarks/run.sh   # skip tshark (it needs ~20 s and 1.7 GB per GB of capture)
#   DEFLATE=0 bash Benchmarks/run.sh       # skip the permessage-deflate comparison
#
# Results and the machine they came from are recorded in Docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100M 1G"}
RUNS=${RUNS:-5}
TSHARK_RUNS=${TSHARK_RUNS:-1}
DEFLATE=${DEFLATE:-1}
DATA=${DATA:-Benchmarks/data}
mkdir -p "$DATA"

need() { command -v "$1" >/dev/null 2>&1; }
if ! [ -x /usr/bin/time ] || ! need cc || ! [ -e /usr/include/pcap/pcap.h ] || ! [ -e /usr/include/zlib.h ]; then
    echo "installing time, gcc, libpcap-dev, zlib1g-dev" >&2
    apt-get update -qq && apt-get install -y -qq time gcc libpcap-dev zlib1g-dev >/dev/null
fi

echo "== building (release)" >&2
swift build -c release --product wsinspect >&2
swift build -c release --product wsinspect-capgen >&2
BIN=$(swift build -c release --show-bin-path)
cc -O2 -o "$DATA/pcap_floor" Benchmarks/pcap_floor.c -lpcap
cc -O2 -o "$DATA/zlib_floor" Benchmarks/zlib_floor.c -lz

# measure NAME FILE_FOR_SIZE FRAMES RUNS command...   -> one table row
FLOOR=""
measure() {
    local name=$1 file=$2 frames=$3 runs=$4; shift 4
    [ "$runs" -gt 0 ] || return 0
    cat "$file" >/dev/null                      # warm the page cache
    local walls=() rss=()
    for _ in $(seq "$runs"); do
        local out
        /usr/bin/time -o "$DATA/time.txt" -f "%e %M" "$@" >/dev/null 2>/dev/null || true
        out=$(tail -1 "$DATA/time.txt")
        walls+=("${out% *}"); rss+=("${out#* }")
    done
    local wall peak bytes
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
    peak=$(printf '%s\n' "${rss[@]}" | sort -g | tail -1)
    bytes=$(stat -c %s "$file")
    [ -n "$FLOOR" ] || FLOOR=$wall
    awk -v n="$name" -v r="$runs" -v w="$wall" -v b="$bytes" -v f="$frames" -v m="$peak" -v fl="$FLOOR" 'BEGIN {
        printf "%-44s %4d %9.3f %9.0f %11.0f %9.1f %7.2f\n", n, r, w, b / w / 1e6, (f > 0 ? f / w : 0), m / 1024, w / fl }'
}

header() {
    printf '\n== %s\n' "$1"
    printf '%-44s %4s %9s %9s %11s %9s %7s\n' "reader" "runs" "wall s" "MB/s" "frames/s" "RSS MiB" "×floor"
}

for size in $SIZES; do
    file="$DATA/ws-$size.pcap"
    [ -s "$file" ] || "$BIN/wsinspect-capgen" --size "$size" --out "$file" >&2
    frames=$("$BIN/wsinspect" "$file" --summary --json | tail -1 | sed 's/.*"frames":\([0-9]*\).*/\1/')
    FLOOR=""
    header "$file: $(stat -c %s "$file") bytes, $frames frames (floor = libpcap pcap_next_ex loop)"
    measure "libpcap floor (Benchmarks/pcap_floor.c)" "$file" "$frames" "$RUNS" "$DATA/pcap_floor" "$file"
    if need tcpdump; then measure "tcpdump -r F -w /dev/null" "$file" "$frames" "$RUNS" tcpdump -r "$file" -w /dev/null; fi
    measure "wsinspect F --summary" "$file" "$frames" "$RUNS" "$BIN/wsinspect" "$file" --summary
    measure "wsinspect F --json --max-payload 64" "$file" "$frames" "$RUNS" "$BIN/wsinspect" "$file" --json --max-payload 64
    measure "wsinspect F (text, one line per frame)" "$file" "$frames" 1 "$BIN/wsinspect" "$file"
    if need tshark; then
        measure "tshark -Y websocket -T fields (3 fields)" "$file" "$frames" "$TSHARK_RUNS" tshark -r "$file" -Y websocket \
            -T fields -e frame.number -e websocket.opcode -e websocket.payload_length
    fi
done

if [ "$DEFLATE" = 1 ]; then
    file="$DATA/ws-deflate-300M.pcap"
    payloads="$DATA/ws-deflate-300M.payloads"
    [ -s "$file" ] && [ -s "$payloads" ] || "$BIN/wsinspect-capgen" --size 300M --deflate --out "$file" --payloads "$payloads" >&2
    frames=$("$BIN/wsinspect" "$file" --summary --json | tail -1 | sed 's/.*"frames":\([0-9]*\).*/\1/')
    FLOOR=""
    header "$file: permessage-deflate, context takeover (floor = zlib alone inflating the same messages)"
    measure "zlib floor (Benchmarks/zlib_floor.c)" "$payloads" "$frames" "$RUNS" "$DATA/zlib_floor" "$payloads"
    measure "wsinspect F --summary" "$file" "$frames" "$RUNS" "$BIN/wsinspect" "$file" --summary
    measure "wsinspect F --json --max-payload 64" "$file" "$frames" "$RUNS" "$BIN/wsinspect" "$file" --json --max-payload 64
fi

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "swift: $(swift --version 2>&1 | head -1)"
