#!/usr/bin/env bash
# Ours against Slack Bolt for JavaScript, in one run on this machine (loopback only):
#   bench/compare.sh [--scale 1] [--max-seconds 30] [--idle-seconds 30]
# Installs Bolt from npm into bench/bolt (npm ci, pinned by its package-lock.json), builds the bot and the bench in
# Release, then starts each server in its own process and drives both with the same signed requests. The table at the
# end is what bench/README.md shows. Run it on a quiet machine: anything else running skews both columns.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d bench/bolt/node_modules/@slack/bolt ]; then
  npm ci --prefix bench/bolt --no-audit --no-fund
fi
dotnet build -c Release bench/Bot.Bench -v quiet -nologo
dotnet bench/Bot.Bench/bin/Release/net10.0/Bot.Bench.dll compare "$@"
