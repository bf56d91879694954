#!/usr/bin/env bash
# Runs two wsinspect binaries over the same inputs in every output mode and reports every difference: for
# refactors that must not change what the tool prints (issue #11: "every output byte-identical").
#
#   bash scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [CAPTURE...]
#
# Inputs: every sample, the captures given, and a set of pasted frames (`frame`, `frame --json`, `--deflate`).
# Modes: text, -v, --messages, --summary, --json, --json -v, --json --max-payload 16, --max-payload 5.
# Prints one line per input and mode that differs (with the first differing line) and exits 1 if any does.
set -uo pipefail
cd "$(dirname "$0")/.."
OLD=$1 NEW=$2
shift 2
captures=(Samples/*.pcap Samples/*.pcapng "$@")
modes=("" "-v" "--messages" "--summary" "--json" "--json -v" "--json --max-payload 16" "--max-payload 5")
frames=(
    "81 86 af 87 53 b4 4b 3a f3 51 0a 3a"
    "81 05 48 65 6c 6c 6f"
    "01 01 41 81 01 42"
    "80 01 41"
    "88 02 03 e8 89 00 8a 00"
    "c1 07 f2 48 cd c9 c9 07 00"
    "41 03 f2 48 cd 80 04 c9 c9 07 00"
    "82 7e 00 05 01 02 03 04 05"
    "81 85 37 fa 21 3d 7f 9f 4d 51 58"
    "81 8a 01 02"
    "88 01 03"
    "88 04 03 e8 ff fe"
    "81 02 c3 28"
    "83 00"
    "82 7f 00 00 00 00 00 00 00 03 01 02 03"
    "89 02 68 69 8a 01 41"
    "01 02 e4 bd 80 01 a0"
    "c1 01 00"
)
frame_modes=("" "--json" "--from client" "--from server --json" "--deflate" "--deflate --json" "--all --from client")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
differences=0
compare() {   # compare LABEL ARGS...: runs both binaries, reports a difference
    local label=$1; shift
    "$OLD" "$@" > "$tmp/old" 2> "$tmp/old.err"; local old_status=$?
    "$NEW" "$@" > "$tmp/new" 2> "$tmp/new.err"; local new_status=$?
    if ! cmp -s "$tmp/old" "$tmp/new" || ! cmp -s "$tmp/old.err" "$tmp/new.err" || [ "$old_status" != "$new_status" ]; then
        differences=$((differences + 1))
        local line
        line=$(diff "$tmp/old" "$tmp/new" | head -3 | cut -c1-200 | tr '\n' ' ')
        echo "DIFF $label (exit $old_status -> $new_status): $line"
    fi
}
for capture in "${captures[@]}"; do
    for mode in "${modes[@]}"; do
        # shellcheck disable=SC2086
        compare "$capture $mode" "$capture" $mode
    done
done
for hex in "${frames[@]}"; do
    for mode in "${frame_modes[@]}"; do
        # shellcheck disable=SC2086
        compare "frame $hex $mode" frame $mode $hex
    done
done
compare "rules" rules
compare "rules --json" rules --json
compare "rules --markdown" rules --markdown
compare "accept" accept dGhlIHNhbXBsZSBub25jZQ==
echo "$differences difference(s) over ${#captures[@]} captures x ${#modes[@]} modes and ${#frames[@]} pasted inputs x ${#frame_modes[@]} modes"
[ "$differences" -eq 0 ]
