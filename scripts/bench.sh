#!/usr/bin/env bash
# Benchmarks: print their figures (they assert nothing about time).
#   native simulator, native planner (Monte Carlo on every core), and the simulator
#   in WebAssembly in headless Chromium, and the default plan in the browser.
# Each run's output is kept in artifacts/bench/; at the end the README's performance
# table is printed from it (scripts/bench-table.mjs; give that script several kept
# outputs for the range over runs).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
mkdir -p artifacts/bench
bench_log="artifacts/bench/bench-$(date -u +%Y%m%dT%H%M%SZ).log"
exec > >(tee "$bench_log") 2>&1
bash scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$repo_root/.tools/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
echo "[bench] native simulator"
cargo bench --bench simulation
echo "[bench] native planner"
cargo bench --bench planner
echo "[bench] simulator in WebAssembly (headless Chromium)"
cargo test --release --target wasm32-unknown-unknown --test browser_bench -- --nocapture
echo "[bench] the default plan in the browser (Trunk release build, headless Chromium)"
trunk build --release
node scripts/plan-bench.mjs
echo "[bench] what the first page load downloads (gzipped), against the 500 KB budget"
node scripts/download-budget.mjs
echo "[bench] 200 nodes over 3 regions playing at 1,000× for 12 s (frames whose moment changed, long tasks, pause)"
node scripts/frame-bench.mjs
echo "[bench] 300 nodes over 3 regions for 30 days from a share link: load and scrub (longest main-thread task)"
node scripts/limits-load-bench.mjs
sleep 1
echo "[bench] the README's performance table, from this run ($bench_log)"
node scripts/bench-table.mjs "$bench_log"
