#!/usr/bin/env bash
# The screenshots of the HTML report in the docs, as headless Chromium draws them:
#   Docs/images/report.png   the report of Samples/python-echo.pcap (the README shows it)
#   Docs/images/anatomy.png  `wsinspect frame 81 86 af 87 53 b4 4b 3a f3 51 0a 3a --html`: one frame's anatomy
# Installs chromium-headless-shell and a CJK font (for 你好) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WSINSPECT_EXTRA_PACKAGES="fonts-wqy-microhei" ./scripts/setup.sh
swift build --product wsinspect >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shot() {   # shot REPORT PNG WIDTH,HEIGHT
    chromium-headless-shell --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
        --window-size="$3" --screenshot="$PWD/$2" "file://$1" 2>/dev/null
    echo "wrote $2" >&2
}
.build/debug/wsinspect Samples/python-echo.pcap --html "$work/capture.html"
shot "$work/capture.html" Docs/images/report.png 1280,1500
.build/debug/wsinspect frame 81 86 af 87 53 b4 4b 3a f3 51 0a 3a --html "$work/frame.html"
shot "$work/frame.html" Docs/images/anatomy.png 1280,1000
