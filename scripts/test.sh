#!/usr/bin/env bash
# One command to set everything up and run every test:
#   formatting, clippy (native and wasm32), native tests, browser tests in headless
#   Chromium, and an end-to-end check of the Trunk release build.
# It installs what is missing first (scripts/setup.sh --browser).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
bash scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$repo_root/.tools/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

step() { printf '\n[test] %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo clippy (wasm32, all targets)"
cargo clippy --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests"
# tests/errors.rs also exports its bad inputs for the browser check below.
rm -rf target/bad-inputs
CATAPULT_DR_BAD_INPUTS_DIR="$repo_root/target/bad-inputs" cargo test --workspace --lib --bins --tests

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown --test browser

step "release build with Trunk"
trunk build --release

step "end-to-end: the release build in headless Chromium (root and sub-path)"
node tests/e2e/shell.mjs

step "end-to-end: reliability (CSP, bad imports, hostile input, autosave, crash banner)"
node tests/e2e/reliability.mjs

step "end-to-end: export, share links and command-line parity"
cargo build --quiet
node tests/e2e/share.mjs

step "end-to-end: the planner panel (responsive, cancellable, full table)"
node tests/e2e/planner.mjs

step "end-to-end: the read-only embed in a documentation page under a sub-path"
node tests/e2e/embed.mjs

step "end-to-end: the workshop (draw, break, watch, plan; pictures; motion; 200 nodes)"
node tests/e2e/workshop.mjs

step "end-to-end: drawing as people draw (menu at its target, delete, rename, zoom, fit, share)"
node tests/e2e/workshop-drawing.mjs
step "end-to-end: the workshop layout (one screen: stage, strip, toolbar, keys, presentation)"
node tests/e2e/workshop-layout.mjs
step "end-to-end: the mechanism on the canvas (entry point health, outages, states, legend)"
node tests/e2e/workshop-canvas.mjs

step "all checks passed"
