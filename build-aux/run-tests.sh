#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-tests.sh: the README's test command (and what CI runs through .ci/run).
#
#   1. installs the missing Debian packages (build-aux/install-deps.sh);
#   2. builds _build with --werror and runs every suite (data, sim, core, ui, e2e, bench);
#   3. builds _build-asan (-Db_sanitize=address,undefined) and runs every suite but bench under
#      the asan setup (AddressSanitizer, UBSan, LeakSanitizer with tests/lsan.supp);
#   4. runs the core suite of _build under valgrind (the valgrind setup).
# Some of these run side by side (see below). Every `meson test` runs inside
# build-aux/test-session.sh: Xvfb, a private D-Bus session with an unlocked keyring and the
# accessibility bus, and a fresh HOME for that run.
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
  # Below the tests' priority: the ASan build is made while e2e scripts run.
  if ! nice -n 10 meson compile -C "$dir"; then
    failed_steps+=(--failed-step "build $dir")
    return 1
  fi
}

# run_tests LABEL DIR [MESON TEST OPTION...]: one `meson test` in a private session of its own;
# its JSON log (meson-logs/testlog-LABEL[-SETUP].json: runs of one build directory do not share
# a log) is kept in $results for the summary; a run without a log is a failed step.
run_tests() {
  local label=$1 dir=$2 setup=
  shift 2
  local args=("$@") i
  for ((i = 0; i < ${#args[@]}; i++)); do
    [[ ${args[i]} == --setup ]] && setup=${args[i + 1]}
  done
  # meson test adds the setup's name to the log's base name
  local logbase=testlog-$label
  local log=$dir/meson-logs/$logbase${setup:+-$setup}.json
  step "test $label: meson test -C $dir $*"
  rm -f "$log"
  # Three at a time: the core and sim tests mostly wait for their simulators (ui, e2e and
  # bench tests are is_parallel: false and run alone).
  if ! nice -n "${run_nice:-0}" bash build-aux/test-session.sh meson test -C "$dir" \
      --no-rebuild --print-errorlogs --num-processes 3 --logbase "$logbase" "$@"; then
    echo "run-tests: some tests of '$label' failed (see above and $log)"
  fi
  if [[ -f $log ]]; then
    cp "$log" "$results/$label.json"
  else
    echo "$label: meson test produced no log" >>"$results/failed-steps"
  fi
}

# in_background LABEL DIR [MESON TEST OPTION...]: run_tests beside what follows (its output kept
# apart, shown by wait_background). Only an e2e or valgrind run goes beside another: an e2e run
# is mostly waiting for the app, and each run has its own X server, session bus and HOME.
background_pid=
background_log=
in_background() {
  background_log=$results/$1.log
  run_tests "$@" >"$background_log" 2>&1 &
  background_pid=$!
  # xvfb-run -a takes the first display number without a lock file: let this run's X server
  # take its number before the next run looks for one.
  sleep 5
}
wait_background() {
  if [[ -n $background_pid ]]; then
    wait "$background_pid"
    cat "$background_log"
    background_pid=
  fi
}

step "dependencies"
if ! bash build-aux/install-deps.sh; then
  failed_steps+=(--failed-step "install the Debian packages (build-aux/install-deps.sh)")
fi

# The order keeps the machine's two cores busy: the default build's e2e scripts run while the
# ASan build is made and its fast suites run; the ASan e2e scripts while valgrind runs the core
# suite. The bench suite (timing limits) runs with nothing beside it.
fast_suites=(--suite data --suite sim --suite core --suite ui)
default_built=false
if build default _build --werror; then
  default_built=true
  run_tests default _build "${fast_suites[@]}"
  in_background default-e2e _build --suite e2e
fi

asan_built=false
if build asan _build-asan --werror -Db_sanitize=address,undefined -Db_lundef=false; then
  asan_built=true
  run_tests asan _build-asan --setup asan "${fast_suites[@]}"
fi
wait_background

# Only on a build that just succeeded: --no-rebuild would test stale binaries otherwise.
if $default_built; then
  run_tests bench _build --suite bench
  # valgrind's CPU-bound core suite below the priority of the ASan e2e scripts beside it
  run_nice=10 in_background valgrind _build --setup valgrind --suite core
fi
if $asan_built; then
  run_tests asan-e2e _build-asan --setup asan --suite e2e
fi
wait_background

runs=()
for label in default default-e2e bench asan asan-e2e valgrind; do
  [[ -f $results/$label.json ]] && runs+=("$label=$results/$label.json")
done
if [[ -f $results/failed-steps ]]; then
  while IFS= read -r line; do
    failed_steps+=(--failed-step "$line")
  done <"$results/failed-steps"
fi

step "summary ($(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s)"
python3 build-aux/test-summary.py "${failed_steps[@]}" "${runs[@]}"
