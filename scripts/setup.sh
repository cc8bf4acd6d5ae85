#!/usr/bin/env bash
# Installs what building, serving and testing need, from the package registries only
# (crates.io, npm, Debian). Skips anything already installed at the right version.
#   scripts/setup.sh            toolchain for building and serving
#   scripts/setup.sh --browser  the same plus headless Chromium, chromedriver and the
#                               end-to-end test driver
# Source it (". scripts/setup.sh") or run it; scripts/serve.sh and scripts/test.sh call it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/.tools"
with_browser=0
for argument in "$@"; do
    case "$argument" in
        --browser) with_browser=1 ;;
        *) echo "setup: unknown option $argument" >&2; exit 2 ;;
    esac
done

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"

# Both tools are compiled in one target directory, so the crates they share at the
# same version and features are compiled once.
tools_build_dir="$repo_root/target/tools-build"

say() { printf '[setup] %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$tools_dir/node_modules/.bin:$PATH"

command -v cargo >/dev/null || { echo "setup: cargo not found: install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm not found: install Node.js and npm first (apt-get install nodejs npm)" >&2; exit 1; }

# 1. The WebAssembly target.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target: present"
else
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI, at exactly the version Cargo.lock uses.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$repo_root/Cargo.lock")"
if [ -z "$bindgen_version" ]; then
    echo "setup: could not read the wasm-bindgen version from Cargo.lock" >&2; exit 1
fi
if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$bindgen_version" ]; then
    say "wasm-bindgen $bindgen_version: present"
else
    say "installing wasm-bindgen-cli $bindgen_version from crates.io (compiles about 200 crates: 5 to 8 minutes on 2 cores; each line below is one crate)"
    # No --locked: its lock file names a webpki-roots version the registry does not serve.
    cargo install wasm-bindgen-cli --version "$bindgen_version" --target-dir "$tools_build_dir"
fi

# 3. Trunk.
if command -v trunk >/dev/null && [ "$(trunk --version | awk '{print $2}')" = "$TRUNK_VERSION" ]; then
    say "trunk $TRUNK_VERSION: present"
else
    say "installing trunk $TRUNK_VERSION from crates.io (compiles about 370 crates: 10 to 15 minutes on 2 cores; each line below is one crate)"
    # --locked: without it a newer cssparser breaks the build. No default features:
    # they are the update check and TLS for downloading tools, and this project installs
    # its tools itself, so about 16 crates (rustls among them) are not compiled.
    # Trunk's own release profile asks for fat LTO in one codegen unit (and abort on
    # panic): its last crate then compiled alone for over 5 minutes of a 2-core first
    # run. Cargo's default release settings instead: the install took 10 min 38 s
    # against 11 min 45 s (one run each; the binary is a little larger).
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_PANIC=unwind \
        cargo install trunk --version "$TRUNK_VERSION" --locked --no-default-features --target-dir "$tools_build_dir"
fi

# 4. wasm-opt from npm's binaryen (Debian's is too old for current Rust output).
mkdir -p "$tools_dir"
if [ -x "$tools_dir/node_modules/.bin/wasm-opt" ] && "$tools_dir/node_modules/.bin/wasm-opt" --version | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "wasm-opt (binaryen $BINARYEN_VERSION): present"
else
    say "installing binaryen $BINARYEN_VERSION from npm into .tools/"
    (cd "$tools_dir" && [ -f package.json ] || echo '{"private":true}' > "$tools_dir/package.json")
    npm install --prefix "$tools_dir" --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION"
fi

if [ "$with_browser" = 1 ]; then
    # 5. Headless Chromium and its driver, from Debian.
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        say "chromium and chromedriver: present"
    else
        say "installing chromium and chromium-driver from Debian"
        sudo_cmd=""
        [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y chromium chromium-driver
    fi
    # 6. The end-to-end driver (playwright-core drives the system Chromium; it downloads no browser).
    if [ -d "$repo_root/tests/e2e/node_modules/playwright-core" ]; then
        say "playwright-core: present"
    else
        say "installing the end-to-end test driver (npm ci in tests/e2e)"
        (cd "$repo_root/tests/e2e" && npm ci --no-audit --no-fund)
    fi
fi
say "done"
