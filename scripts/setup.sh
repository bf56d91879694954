#!/usr/bin/env bash
# Installs what wsinspect needs to build and test on a fresh Debian machine (run as root, or with sudo).
# Idempotent: packages already present are not installed again.
set -euo pipefail

need=()
dpkg -s libpcap-dev >/dev/null 2>&1 || need+=(libpcap-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
# The live-capture tests and Benchmarks/live.sh replay captures on lo with tcpreplay; tcpdump records the samples.
dpkg -s tcpreplay >/dev/null 2>&1 || need+=(tcpreplay)
dpkg -s tcpdump >/dev/null 2>&1 || need+=(tcpdump)
# The HTML report's tests load reports in a real browser (headless Chromium).
dpkg -s chromium-headless-shell >/dev/null 2>&1 || need+=(chromium-headless-shell)
# More test and sample tools (tshark as a cross-check), by name.
for extra in ${WSINSPECT_EXTRA_PACKAGES:-}; do
    dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra")
done

if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
