#!/usr/bin/env bash
# wsinspect benchmark: generates synthetic captures (100 MB, 1 GB, and a 300 MB permessage-deflate one; never
# committed), builds release, and prints, side by side, wall time (median of RUNS runs, page cache warm), throughput
# and peak resident memory for the libpcap floor, wsinspect's modes, and tshark when it is installed.
#
#   bash Benchmarks/run.sh                 # everything (about 5 minutes on 2 cores, plus tshark if present)
#   SIZES="100M" RUNS=3 bash Benchmarks/run.sh
#   TSHARK_RUNS=0 bash Benchmarks/run.sh   # skip tshark (it needs ~20 s and 1.7 GB per GB of capture)
#   DEFLATE=0 bash Benchmarks/run.sh       # skip the permessage-deflate comparison
#   BASELINE=/path/to/older/wsinspect bash Benchmarks/run.sh   # also time an older binary, round-robin with the rest
#
# Columns: median wall time; throughput of the input; the largest peak RSS of the runs; the ratio of medians to the
# floor's; and "paired", the median of per-run ratios (run k of a reader against run k of the floor, which ran just
# before it), which a slow spell of a shared machine disturbs less.
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

# A table's readers are registered with `add`, then `run_table` runs them round-robin (run 1 of every reader, then
# run 2, ...), so that a slow spell of this shared machine hits all of them alike rather than one reader's runs.
ROW_NAMES=(); ROW_FILES=(); ROW_RUNS=(); ROW_COMMANDS=()
add() {   # add NAME FILE_FOR_SIZE RUNS command...
    local name=$1 file=$2 runs=$3; shift 3
    [ "$runs" -gt 0 ] || return 0
    ROW_NAMES+=("$name"); ROW_FILES+=("$file"); ROW_RUNS+=("$runs"); ROW_COMMANDS+=("$(printf '%q ' "$@")")
}

run_table() {   # run_table FRAMES: runs and prints the registered rows (the first is the floor), then clears them
    local frames=$1 count=${#ROW_NAMES[@]} most=0 i r
    for i in $(seq 0 $((count - 1))); do [ "${ROW_RUNS[$i]}" -gt "$most" ] && most=${ROW_RUNS[$i]}; done
    local -a walls rss
    for r in $(seq "$most"); do
        for i in $(seq 0 $((count - 1))); do
            [ "${ROW_RUNS[$i]}" -ge "$r" ] || continue
            cat "${ROW_FILES[$i]}" >/dev/null          # warm the page cache
            eval "/usr/bin/time -o $DATA/time.txt -f '%e %M' ${ROW_COMMANDS[$i]}" >/dev/null 2>/dev/null || true
            local out
            out=$(tail -1 "$DATA/time.txt")
            walls[$i]="${walls[$i]:-} ${out% *}"; rss[$i]="${rss[$i]:-} ${out#* }"
        done
    done
    local floor=""
    for i in $(seq 0 $((count - 1))); do
        local wall peak bytes
        wall=$(printf '%s\n' ${walls[$i]} | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
        peak=$(printf '%s\n' ${rss[$i]} | sort -g | tail -1)
        bytes=$(stat -c %s "${ROW_FILES[$i]}")
        [ -n "$floor" ] || floor=$wall
        # Paired: run k of this reader against run k of the floor (they ran back to back), median of those ratios.
        local paired
        paired=$(paste <(printf '%s\n' ${walls[$i]}) <(printf '%s\n' ${walls[0]} | head -n "${ROW_RUNS[$i]}") |
            awk '{print ($2 > 0 ? $1 / $2 : 0)}' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
        awk -v n="${ROW_NAMES[$i]}" -v r="${ROW_RUNS[$i]}" -v w="$wall" -v b="$bytes" -v f="$frames" -v m="$peak" -v fl="$floor" -v p="$paired" 'BEGIN {
            printf "%-44s %4d %9.3f %9.0f %11.0f %9.1f %7.2f %7.2f\n", n, r, w, b / w / 1e6, (f > 0 ? f / w : 0), m / 1024, w / fl, p }'
    done
    ROW_NAMES=(); ROW_FILES=(); ROW_RUNS=(); ROW_COMMANDS=()
}

header() {
    printf '\n== %s\n' "$1"
    printf '%-44s %4s %9s %9s %11s %9s %7s %7s\n' "reader" "runs" "wall s" "MB/s" "frames/s" "RSS MiB" "×floor" "paired"
}

for size in $SIZES; do
    file="$DATA/ws-$size.pcap"
    [ -s "$file" ] || "$BIN/wsinspect-capgen" --size "$size" --out "$file" >&2
    frames=$("$BIN/wsinspect" "$file" --summary --json | tail -1 | sed 's/.*"frames":\([0-9]*\).*/\1/')
    header "$file: $(stat -c %s "$file") bytes, $frames frames (floor = libpcap pcap_next_ex loop)"
    add "libpcap floor (Benchmarks/pcap_floor.c)" "$file" "$RUNS" "$DATA/pcap_floor" "$file"
    if need tcpdump; then add "tcpdump -r F -w /dev/null" "$file" "$RUNS" tcpdump -r "$file" -w /dev/null; fi
    add "wsinspect F --summary" "$file" "$RUNS" "$BIN/wsinspect" "$file" --summary
    add "wsinspect F --json --max-payload 64" "$file" "$RUNS" "$BIN/wsinspect" "$file" --json --max-payload 64
    if [ -n "${BASELINE:-}" ]; then
        add "baseline F --summary" "$file" "$RUNS" "$BASELINE" "$file" --summary
        add "baseline F --json --max-payload 64" "$file" "$RUNS" "$BASELINE" "$file" --json --max-payload 64
    fi
    add "wsinspect F (text, one line per frame)" "$file" "$RUNS" "$BIN/wsinspect" "$file"
    add "wsinspect F --messages" "$file" "$RUNS" "$BIN/wsinspect" "$file" --messages
    if [ -n "${BASELINE:-}" ]; then
        add "baseline F (text, one line per frame)" "$file" "$RUNS" "$BASELINE" "$file"
        add "baseline F --messages" "$file" "$RUNS" "$BASELINE" "$file" --messages
    fi
    if need tshark; then
        add "tshark -Y websocket -T fields (3 fields)" "$file" "$TSHARK_RUNS" tshark -r "$file" -Y websocket \
            -T fields -e frame.number -e websocket.opcode -e websocket.payload_length
    fi
    run_table "$frames"
done

if [ "$DEFLATE" = 1 ]; then
    file="$DATA/ws-deflate-300M.pcap"
    payloads="$DATA/ws-deflate-300M.payloads"
    [ -s "$file" ] && [ -s "$payloads" ] || "$BIN/wsinspect-capgen" --size 300M --deflate --out "$file" --payloads "$payloads" >&2
    frames=$("$BIN/wsinspect" "$file" --summary --json | tail -1 | sed 's/.*"frames":\([0-9]*\).*/\1/')
    header "$file: permessage-deflate, context takeover (floor = zlib alone inflating the same messages)"
    add "zlib floor (Benchmarks/zlib_floor.c)" "$payloads" "$RUNS" "$DATA/zlib_floor" "$payloads"
    add "wsinspect F --summary" "$file" "$RUNS" "$BIN/wsinspect" "$file" --summary
    add "wsinspect F --json --max-payload 64" "$file" "$RUNS" "$BIN/wsinspect" "$file" --json --max-payload 64
    run_table "$frames"
fi

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "swift: $(swift --version 2>&1 | head -1)"
