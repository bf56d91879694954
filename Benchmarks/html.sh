#!/usr/bin/env bash
# The HTML report of big captures (issue #14): generates captures of about 35 000 frames with wsinspect-capgen (one
# connection, the default 16, and 400 connections), and one of about 90 000 frames whose report stops at the default
# --html-max-frames (never committed); writes `wsinspect --html` for each, and opens every report in headless Chromium
# (Debian's chromium-headless-shell) three times, taking a screenshot:
#
#   frames        frames in the report (of the capture's, when the limit left some out)
#   size          the report file
#   write         wall time of `wsinspect CAPTURE --html FILE`
#   script        the page's own script (JSON.parse of the embedded data and the DOM it builds), as it logs it
#   painted       navigation start to the first paint after the script (layout included), as the page logs it
#   screenshot    wall time of `chromium-headless-shell --screenshot`: browser start, load, layout, paint, PNG
#
# Target: every report painted within 5 s and under 40 MB. Results are recorded in Docs/performance.md.
#
#   bash Benchmarks/html.sh
#   RUNS_OF="16:40M:0" RUNS=1 bash Benchmarks/html.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# connections:capture size:--html-max-frames (0: the default)
RUNS_OF=${RUNS_OF:-"1:155M:1000000 16:155M:1000000 400:155M:1000000 16:360M:0"}
RUNS=${RUNS:-3}
DATA=${DATA:-Benchmarks/data}
CHROMIUM=${CHROMIUM:-chromium-headless-shell}
mkdir -p "$DATA"
command -v "$CHROMIUM" >/dev/null || { echo "html.sh: $CHROMIUM not found (apt-get install -y chromium-headless-shell)" >&2; exit 2; }

echo "== building (release)" >&2
swift build -c release --product wsinspect >&2
swift build -c release --product wsinspect-capgen >&2
BIN=$(swift build -c release --show-bin-path)

now() { date +%s.%N; }
printf "%-18s %14s %9s %8s %10s %10s %12s\n" capture frames size write script painted screenshot
for spec in $RUNS_OF; do
    IFS=: read -r connections size limit <<<"$spec"
    name="$connections-$size" capture="$DATA/html-$connections-$size.pcap" report="$DATA/html-$connections-$size.html"
    [ -s "$capture" ] || "$BIN/wsinspect-capgen" --size "$size" --connections "$connections" --seed 14 --out "$capture" >/dev/null
    limitArgs=()
    [ "$limit" = 0 ] || limitArgs=(--html-max-frames "$limit")
    start=$(now)
    "$BIN/wsinspect" "$capture" --html "$report" "${limitArgs[@]}" 2>"$DATA/html-write.txt"
    write=$(echo "$(now) - $start" | bc)
    frames=$(grep -o "[0-9]* frames\?$" "$DATA/html-write.txt" | cut -d" " -f1)
    [ "$limit" = 0 ] && frames="$frames/$("$BIN/wsinspect" "$capture" --summary --json | grep -o '"frames":[0-9]*' | tail -1 | cut -d: -f2)"
    bytes=$(stat -c %s "$report")
    for run in $(seq "$RUNS"); do
        start=$(now)
        timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --window-size=1280,1600 \
            --screenshot="$DATA/html-$name.png" "file://$PWD/$report" >/dev/null 2>"$DATA/html-chromium.txt"
        shot=$(echo "$(now) - $start" | bc)
        script=$(grep -o 'drawn in [0-9]* ms' "$DATA/html-chromium.txt" | grep -o '[0-9]*' || echo "?")
        painted=$(grep -o 'painted [0-9]* ms' "$DATA/html-chromium.txt" | grep -o '[0-9]*' || echo "?")
        printf "%-18s %14s %8.1fM %7.2fs %8sms %8sms %11.2fs\n" "$connections conn. $size" "$frames" "$(echo "$bytes / 1048576" | bc -l)" \
            "$write" "$script" "$painted" "$shot"
    done
done
