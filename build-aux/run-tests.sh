#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-tests.sh: the README's test command (and what CI runs through .ci/run).
#
#   1. installs the missing Debian packages (build-aux/install-deps.sh);
#   2. builds _build with --werror and runs every suite (core, sim, ui, e2e, data);
#   3. builds _build-asan (-Db_sanitize=address,undefined) and runs every suite under the
#      asan setup (AddressSanitizer, UBSan, LeakSanitizer with tests/lsan.supp);
#   4. runs the core suite of _build under valgrind (the valgrind setup).
# Every `meson test` runs inside build-aux/test-session.sh: Xvfb, a private D-Bus session with an
# unlocked keyring and the accessibility bus, and a fresh HOME for that run.
# A failing step does not stop the others. The last line is the total over all runs,
# `N passed, N failed, N skipped` (build-aux/test-summary.py); the exit status is non-zero when
# any test or any step failed.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
started=$SECONDS
results=$(mktemp -d "${TMPDIR:-/tmp}/dsl-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT
failed_steps=()
runs=()

step() {
  printf '\n=== %s ===\n' "$*"
}

# configure DIR [MESON OPTION...]: set up DIR, or reconfigure it with these options.
configure() {
  local dir=$1
  shift
  if [[ -f $dir/build.ninja ]]; then
    meson setup --reconfigure "$dir" "$@"
  elif [[ -d $dir/meson-private ]]; then
    meson setup --wipe "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}

# build LABEL DIR [MESON OPTION...]
build() {
  local label=$1 dir=$2
  shift 2
  step "build $label: $dir"
  if ! configure "$dir" "$@"; then
    failed_steps+=(--failed-step "configure $dir")
    return 1
  fi
  if ! meson compile -C "$dir"; then
    failed_steps+=(--failed-step "build $dir")
    return 1
  fi
}

# run_tests LABEL DIR [MESON TEST OPTION...]: run, then keep the run's JSON log for the summary.
run_tests() {
  local label=$1 dir=$2 setup=
  shift 2
  local args=("$@") i
  for ((i = 0; i < ${#args[@]}; i++)); do
    [[ ${args[i]} == --setup ]] && setup=${args[i + 1]}
  done
  local log=$dir/meson-logs/testlog${setup:+-$setup}.json
  step "test $label: meson test -C $dir $*"
  rm -f "$log"
  # Three at a time: the core tests mostly wait for their simulators (ui, e2e and bench tests
  # are is_parallel: false and run alone).
  if ! bash build-aux/test-session.sh meson test -C "$dir" --no-rebuild --print-errorlogs \
      --num-processes 3 "$@"; then
    echo "run-tests: some tests of '$label' failed (see above and $log)"
  fi
  if [[ -f $log ]]; then
    cp "$log" "$results/$label.json"
    runs+=("$label=$results/$label.json")
  else
    failed_steps+=(--failed-step "$label: meson test produced no log")
  fi
}

step "dependencies"
if ! bash build-aux/install-deps.sh; then
  failed_steps+=(--failed-step "install the Debian packages (build-aux/install-deps.sh)")
fi

default_built=false
if build default _build --werror; then
  default_built=true
  run_tests default _build
fi

if build asan _build-asan --werror -Db_sanitize=address,undefined -Db_lundef=false; then
  run_tests asan _build-asan --setup asan
fi

# Only on a build that just succeeded: --no-rebuild would test stale binaries otherwise.
if $default_built; then
  run_tests valgrind _build --setup valgrind --suite core
fi

step "summary ($(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s)"
python3 build-aux/test-summary.py "${failed_steps[@]}" "${runs[@]}"
