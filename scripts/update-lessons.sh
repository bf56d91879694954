#!/usr/bin/env bash
# Rewrites the outputs in Docs/lessons/*.md with what the current wsinspect prints for each `$ command` (the commands
# and the prose are left alone). Review the diff: a lesson that changes is a lesson to re-read.
set -euo pipefail
cd "$(dirname "$0")/.."
WSINSPECT_UPDATE_LESSONS=1 swift test --filter LessonTests
git diff --stat -- Docs/lessons
