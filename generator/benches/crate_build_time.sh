#!/usr/bin/env bash
# Debug build time of generated crates: `bash generator/benches/crate_build_time.sh [GENERATOR] SPEC...`
#
# Generates a crate from each SPEC with GENERATOR (default: this checkout's debug binary, built
# first), puts the crates in a scratch workspace under target/crate-build-time/ with this
# repository's Cargo.lock, builds the dependencies once, then times `cargo build -p CRATE` after
# `cargo clean -p CRATE`, three times per crate, and prints the times. To compare two versions
# of the generator, run it with each version's binary (a worktree's `target/debug/generator`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "$#" -gt 0 ] && [ -x "$1" ] && [ ! -d "$1" ] && [[ "$1" != *.json ]] && [[ "$1" != *.yaml ]]; then
    generator="$1"
    shift
else
    cargo build -q -p generator --manifest-path "$root/Cargo.toml"
    generator="$root/target/debug/generator"
fi
[ "$#" -gt 0 ] || { echo "usage: $0 [GENERATOR] SPEC..." >&2; exit 2; }
work="$root/target/crate-build-time"
rm -rf "$work/crates"
mkdir -p "$work/crates"
members=()
for spec in "$@"; do
    name="bt-$(basename "$spec" | sed 's/\.[^.]*$//' | tr '._' '--' | tr 'A-Z' 'a-z')"
    "$generator" --spec "$spec" --out "$work/crates/$name" --name "$name" > /dev/null
    members+=("\"crates/$name\"")
done
printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "$(IFS=,; echo "${members[*]}")" > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"
cd "$work"
export CARGO_INCREMENTAL=0
cargo build -q 2>/dev/null || cargo build
for member in "${members[@]}"; do
    name="$(basename "${member//\"/}")"
    times=()
    for _ in 1 2 3; do
        cargo clean -q -p "$name"
        start=$(date +%s%N)
        cargo build -q -p "$name"
        end=$(date +%s%N)
        ms=$(( (end - start) / 1000000 ))
        times+=("$((ms / 1000)).$(printf '%02d' $(( (ms % 1000) / 10 )))")
    done
    lines=$(cat "crates/$name"/src/*.rs | wc -l)
    echo "$name: ${times[*]} s ($lines lines of generated code, runtime not counted)"
done
