#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test-session.sh COMMAND [ARG...]: run COMMAND on a private desktop made for one run:
#   - a fresh HOME and XDG directories (removed afterwards), so keyring, GSettings and caches of
#     one run never reach the next;
#   - a virtual X server (xvfb-run -a, 1280x800x24) with GDK_BACKEND=x11;
#   - a private D-Bus session bus (dbus-run-session) with an unlocked, empty-password login
#     keyring (gnome-keyring, Secret Service) and the accessibility bus that dogtail reads.
# Everything started here is stopped by its pid (or ends with the bus and the X server).
# The exit status is COMMAND's.
set -euo pipefail

if [[ ${1:-} != --inner ]]; then
  if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
  fi
  for tool in xvfb-run dbus-run-session; do
    if ! command -v "$tool" >/dev/null; then
      echo "$0: $tool is missing; run build-aux/install-deps.sh" >&2
      exit 2
    fi
  done

  session_home=$(mktemp -d "${TMPDIR:-/tmp}/dsl-session.XXXXXX")
  # A FUSE file system the session mounted under its runtime directory (the document portal's
  # run/doc, when xdg-desktop-portal is installed) may outlive the bus by a moment: unmount what
  # is still mounted there, then remove the home; a left-over mount must not fail the run.
  remove_session_home() {
    local mount_point
    while read -r _ mount_point _; do
      if [[ $mount_point == "$session_home"/* ]]; then
        fusermount3 -u -z "$mount_point" 2>/dev/null || fusermount -u -z "$mount_point" 2>/dev/null ||
          umount -l "$mount_point" 2>/dev/null || true
      fi
    done </proc/self/mounts
    rm -rf "$session_home" 2>/dev/null || true
  }
  trap remove_session_home EXIT
  mkdir -p "$session_home/.config" "$session_home/.local/share" "$session_home/.local/state" \
    "$session_home/.cache" "$session_home/run"
  chmod 700 "$session_home/run"

  export HOME=$session_home
  export XDG_CONFIG_HOME=$session_home/.config
  export XDG_DATA_HOME=$session_home/.local/share
  export XDG_STATE_HOME=$session_home/.local/state
  export XDG_CACHE_HOME=$session_home/.cache
  export XDG_RUNTIME_DIR=$session_home/run
  export GDK_BACKEND=x11
  # The software GL renderer under Xvfb is slow and adds nothing to what the tests check.
  export GSK_RENDERER=${GSK_RENDERER:-cairo}
  unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS SESSION_MANAGER

  # Not exec: the trap above removes the session's HOME afterwards.
  status=0
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    dbus-run-session -- bash "${BASH_SOURCE[0]}" --inner "$@" || status=$?
  exit "$status"
fi

# --- inside the X server and the session bus ---
shift
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# The accessibility bus; GTK 4 and dogtail find it through org.a11y.Bus on the session bus.
if [[ -x /usr/libexec/at-spi-bus-launcher ]]; then
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  pids+=($!)
fi

# An empty line as the password creates and unlocks a login keyring without any prompt. The
# daemon forks away from us (no pid to keep); it exits when the session bus closes.
if command -v gnome-keyring-daemon >/dev/null; then
  keyring_env=$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null) || true
  eval "$(printf '%s\n' "$keyring_env" | sed -n 's/^\(GNOME_KEYRING_CONTROL=.*\)$/export \1/p')"
fi

# GTK 3 tools and dogtail read this; GTK 4 always talks to the accessibility bus.
gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null || true

status=0
"$@" || status=$?
exit "$status"
