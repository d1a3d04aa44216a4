#!/usr/bin/env bash
# Coverage-guided fuzzing with cargo-fuzz (libFuzzer, nightly Rust): runs every fuzz
# target in turn for the given number of seconds (default 300) and prints how many
# inputs each one executed. Targets run one at a time (each uses one core).
#
#   bash scripts/fuzz.sh [seconds-per-target] [target ...]
#
# New interesting inputs go to fuzz/corpus-work/<target>/ (not committed); the
# committed seeds in fuzz/corpus/<target>/ are read, never written. Crashes are saved
# under fuzz/artifacts/<target>/ and the script exits non-zero. Full libFuzzer logs
# are in fuzz/artifacts/logs/. See fuzz/README.md for minimizing a crash and
# adding inputs to the committed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION=0.13.2
ALL_TARGETS=(catalog_json binary_catalog saved_profile options events)

seconds="${1:-300}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: scripts/fuzz.sh [seconds-per-target] [target ...]" >&2
    exit 2
fi
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "cargo-fuzz needs a nightly toolchain: rustup toolchain install nightly" >&2
    exit 1
fi
if installed=$(cargo fuzz --version 2>/dev/null); then
    case "$installed" in
        *" $CARGO_FUZZ_VERSION") ;;
        *) echo "note: using the installed $installed (pinned: $CARGO_FUZZ_VERSION)" ;;
    esac
else
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

logs=fuzz/artifacts/logs
mkdir -p "$logs"
dict="$PWD/fuzz/json.dict"
status=0
summary=()
for target in "${targets[@]}"; do
    printf '\n== fuzz %s for %s s\n' "$target" "$seconds"
    work="fuzz/corpus-work/$target"
    mkdir -p "$work"
    args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048)
    case "$target" in
        catalog_json | options | events) args+=(-dict="$dict") ;;
    esac
    # Build first so the time budget is spent fuzzing, not compiling.
    cargo +nightly fuzz build "$target"
    log="$logs/$target.log"
    set +e
    cargo +nightly fuzz run "$target" "$work" "fuzz/corpus/$target" -- "${args[@]}" \
        >"$log" 2>&1
    rc=$?
    set -e
    stat() { awk -v k="stat::$1:" '$1 == k { v = $2 } END { print v }' "$log"; }
    execs=$(stat number_of_executed_units)
    rate=$(stat average_exec_per_sec)
    ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    corpus="$(find "$work" -type f | wc -l) new + $(find "fuzz/corpus/$target" -type f | wc -l) seed"
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "CRASH in $target (exit $rc); see $log and fuzz/artifacts/$target/"
        grep -E 'panicked at|SUMMARY|Test unit written to' "$log" | head -5 || true
    fi
    line="$target: ${execs:-?} executions in ${ran:-?} s (${rate:-?}/s), coverage ${cov:-?} edges, corpus ${corpus} files, exit ${rc}"
    echo "$line"
    summary+=("$line")
done

printf '\n== summary\n'
printf '%s\n' "${summary[@]}"
exit "$status"
