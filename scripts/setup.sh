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
# The analysis recipes' tests (Docs/analysis.md) run jq, and DuckDB through Python (below).
dpkg -s jq >/dev/null 2>&1 || need+=(jq)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
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
# DuckDB for the analysis recipes' tests: the duckdb package from PyPI, for the python3 first on PATH (the one the
# tests run). PIP_BREAK_SYSTEM_PACKAGES lets pip install into Debian's own python3, which otherwise refuses (PEP 668:
# externally managed); for any other Python it changes nothing.
if ! python3 -c 'import duckdb' >/dev/null 2>&1; then
    echo "setup: installing the duckdb Python package" >&2
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q 'duckdb>=2'
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
