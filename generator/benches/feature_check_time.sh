#!/usr/bin/env bash
# `cargo check` time of a generated crate in full and with one resource's feature alone:
#   bash generator/benches/feature_check_time.sh SPEC [FEATURE] [RUNS]
#
# Generates a crate from SPEC with a feature per tag (a configuration of `[features] per_tag =
# true`, written beside the crate), puts it in a scratch workspace under
# target/feature-check-time/ with this repository's Cargo.lock, checks the dependencies once for
# both feature sets, then times `cargo check -p CRATE` after `cargo clean -p CRATE`: with the
# default features (every resource) and with `--no-default-features --features FEATURE` (one
# resource; default: the first feature of the crate), RUNS times each (default 3), interleaved.
# Prints every time, the medians and the one-feature build as a share of the full one.
# The synthetic large spec is written by `cargo bench -p generator` to target/bench/large.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ "$#" -ge 1 ] || { echo "usage: $0 SPEC [FEATURE] [RUNS]" >&2; exit 2; }
spec="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
runs="${3:-3}"
cargo build -q --release -p generator --manifest-path "$root/Cargo.toml"
generator="$root/target/release/generator"
work="$root/target/feature-check-time"
name="fct-$(basename "$spec" | sed 's/\.[^.]*$//' | tr '._' '--' | tr 'A-Z' 'a-z')"
rm -rf "$work/crates"
mkdir -p "$work/crates"
printf '[features]\nper_tag = true\n' > "$work/features.toml"
"$generator" --spec "$spec" --out "$work/crates/$name" --name "$name" --config "$work/features.toml" > /dev/null
feature="${2:-$(sed -n 's/^default = \["client", "\([^"]*\)".*/\1/p' "$work/crates/$name/Cargo.toml")}"
[ -n "$feature" ] || { echo "the crate has no feature per tag (does the spec tag its operations?)" >&2; exit 1; }
printf '[workspace]\nresolver = "3"\nmembers = ["crates/%s"]\n' "$name" > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"
cd "$work"
export CARGO_INCREMENTAL=0
cargo check -q -p "$name" 2>/dev/null || cargo check -p "$name"
cargo check -q -p "$name" --no-default-features --features "$feature"
seconds() {
    local start end
    cargo clean -q -p "$name"
    start=$(date +%s%N)
    cargo check -q -p "$name" "$@"
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 ))"
}
full=()
one=()
for _ in $(seq "$runs"); do
    full+=("$(seconds)")
    one+=("$(seconds --no-default-features --features "$feature")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mf=$(median "${full[@]}")
mo=$(median "${one[@]}")
lines=$(cat "crates/$name"/src/*.rs | wc -l)
features=$(sed -n '/^# One feature per resource/,/^$/p' "crates/$name/Cargo.toml" | grep -c ' = \["client"\]' || true)
echo "$name: $lines lines of generated code (runtime not counted), $features features"
echo "full (default features):       ${full[*]} ms (median $mf)"
echo "one feature ($feature): ${one[*]} ms (median $mo)"
echo "one feature / full: $(( mo * 100 / mf ))%"
