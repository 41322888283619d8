#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-demo.sh: the README's demo command.
#
# Installs the missing Debian packages, builds _build, starts docspace-sim (a local DocSpace
# portal with demo accounts; its state is kept in $XDG_STATE_HOME/docspace-links-demo) on a fixed
# port (8765, else the next free one up to 8774) so the demo account's portal address stays the
# same from run to run, and opens DocSpace Links signed in to it with no typing:
#   - the demo owner's key goes into the keyring with secret-tool, which reads it from stdin (the
#     key is never on a command line, in GSettings or in a file), under the app's schema;
#   - the account (portal, user id, name) is added to GSettings and made the last one used.
# Without a Secret Service the app opens on its sign-in page with the portal filled in instead,
# and this script says so. The simulator is stopped when the app exits.
# Without a display (DISPLAY and WAYLAND_DISPLAY unset) the app runs on a virtual X server in a
# private session (build-aux/demo-headless.py seeds the same way there) and a screenshot of the
# signed-in window is left in _build/demo.png.
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

sim_pid=
stop_simulator() {
  if [[ -n $sim_pid ]]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -f "$sim_output"
}
trap stop_simulator EXIT

# start_simulator PORT: sets url and sim_pid; fails when the simulator exits (port taken).
start_simulator() {
  : >"$sim_output"
  "$sim" --port "$1" --state "$state_dir/portal.json" >"$sim_output" 2>"$root/_build/demo-sim.log" &
  sim_pid=$!
  url=
  for _ in $(seq 100); do
    url=$(head -n 1 "$sim_output")
    [[ $url == http* ]] && return 0
    if ! kill -0 "$sim_pid" 2>/dev/null; then
      wait "$sim_pid" 2>/dev/null || true
      sim_pid=
      return 1
    fi
    sleep 0.1
  done
  echo "run-demo: docspace-sim printed no address within 10 s; see _build/demo-sim.log" >&2
  exit 1
}

url=
for port in $(seq 8765 8774) 0; do
  start_simulator "$port" && break
done
if [[ $url != http* ]]; then
  echo "run-demo: docspace-sim did not start; see _build/demo-sim.log" >&2
  exit 1
fi

cat <<INFO

  DocSpace Links demo
  Portal (docspace-sim): $url    (state: $state_dir/portal.json)
  The app opens signed in as Olivia Owner (API key sk-demo-owner, kept in the keyring).
  More accounts (account menu → Add Account…): API keys sk-demo-user, sk-demo-guest;
  e-mail owner@example.com / DemoOwner1!; two-factor tfa@example.com / DemoTfa1!, code 123456

INFO

export GSETTINGS_SCHEMA_DIR=$root/_build/data
schema=io.github.dslinks.DocSpaceLinks
owner_id=a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01
owner_name='Olivia Owner'

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  echo "run-demo: there is no display (DISPLAY and WAYLAND_DISPLAY are unset)."
  echo "run-demo: running the app on a virtual X server instead, signed in as the demo owner;"
  echo "run-demo: a screenshot is saved to $root/_build/demo.png"
  status=0
  bash build-aux/test-session.sh /usr/bin/python3 build-aux/demo-headless.py \
    "$app" "$url" "$root/_build/demo.png" || status=$?
  if [[ $status -eq 0 ]]; then
    echo "run-demo: screenshot saved: $root/_build/demo.png"
  fi
  exit "$status"
fi

# The key into the keyring, from stdin. secret-tool fails when there is no Secret Service.
seeded=false
if command -v secret-tool >/dev/null &&
   printf '%s' 'sk-demo-owner' |
     timeout 60 secret-tool store --label="DocSpace Links: $owner_name (${url#*://})" \
       xdg:schema "$schema" portal "$url" user "$owner_id" 2>/dev/null; then
  seeded=true
fi

if $seeded; then
  # The account in GSettings, added to those already there, and made the last one used.
  entry="('$url', '$owner_id', '$owner_name')"
  accounts=$(gsettings get "$schema" accounts)
  if [[ $accounts != *"'$url', '$owner_id'"* ]]; then
    if [[ $accounts == *'[]' ]]; then
      accounts="[$entry]"
    else
      accounts="${accounts%]}, $entry]"
    fi
    gsettings set "$schema" accounts "$accounts"
  fi
  gsettings set "$schema" last-account "$owner_id $url"
  echo "run-demo: signed in as $owner_name (the demo key is in your keyring)."
  status=0
  "$app" || status=$?
else
  echo "run-demo: no Secret Service (keyring) is available, so the app cannot be signed in" >&2
  echo "run-demo: ahead of time: it opens on its sign-in page with the portal filled in;" >&2
  echo "run-demo: sign in with the API key sk-demo-owner." >&2
  status=0
  "$app" --portal "$url" || status=$?
fi
exit "$status"
