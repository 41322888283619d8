#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-demo.sh: the README's demo command.
#
# Installs the missing Debian packages, builds _build, starts docspace-sim (a local DocSpace
# portal with demo accounts; its state is kept in $XDG_STATE_HOME/docspace-links-demo) and opens
# DocSpace Links connected to it. The simulator is stopped when the app exits.
# Without a display (DISPLAY and WAYLAND_DISPLAY unset) the app runs on a virtual X server, signs
# in with the demo owner's key by itself and leaves a screenshot in _build/demo.png.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

bash build-aux/install-deps.sh

if [[ -f _build/build.ninja ]]; then
  meson configure _build -Dwerror=true -Dtests=true
else
  meson setup _build --werror
fi
meson compile -C _build

sim=$root/_build/tests/sim/docspace-sim
app=$root/_build/src/docspace-links
state_dir=${XDG_STATE_HOME:-$HOME/.local/state}/docspace-links-demo
mkdir -p "$state_dir"
sim_output=$(mktemp "${TMPDIR:-/tmp}/dsl-demo-sim.XXXXXX")

"$sim" --port 0 --state "$state_dir/portal.json" >"$sim_output" 2>"$root/_build/demo-sim.log" &
sim_pid=$!
stop_simulator() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  rm -f "$sim_output"
}
trap stop_simulator EXIT

url=
for _ in $(seq 100); do
  url=$(head -n 1 "$sim_output")
  [[ $url == http* ]] && break
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "run-demo: docspace-sim exited; see _build/demo-sim.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ $url != http* ]]; then
  echo "run-demo: docspace-sim printed no address within 10 s; see _build/demo-sim.log" >&2
  exit 1
fi

cat <<INFO

  DocSpace Links demo
  Portal (docspace-sim): $url    (state: $state_dir/portal.json)
  Sign in with the API key  sk-demo-owner  (or sk-demo-user, sk-demo-guest).
  E-mail sign-in: owner@example.com / DemoOwner1!   Two-factor: tfa@example.com / DemoTfa1!, code 123456

INFO

export GSETTINGS_SCHEMA_DIR=$root/_build/data

if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  status=0
  "$app" --portal "$url" || status=$?
  exit "$status"
fi

echo "run-demo: there is no display (DISPLAY and WAYLAND_DISPLAY are unset)."
echo "run-demo: running the app on a virtual X server instead; it signs in as the demo owner"
echo "run-demo: and a screenshot is saved to $root/_build/demo.png"
status=0
bash build-aux/test-session.sh /usr/bin/python3 build-aux/demo-headless.py \
  "$app" "$url" "$root/_build/demo.png" || status=$?
if [[ $status -eq 0 ]]; then
  echo "run-demo: screenshot saved: $root/_build/demo.png"
fi
exit "$status"
