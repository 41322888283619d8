#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# newer-stack.sh [--chroot DIR] [--mirror URL] [--build-dir DIR] [-- MESON TEST ARG...]:
# builds and tests the app on a newer GNOME than Debian 12's, where Flatpak users run it:
# Debian 13 "trixie" (GTK 4.18, libadwaita 1.7, GLib 2.84, libsoup 3.6, json-glib 1.10).
#
#   1. makes a Debian 13 chroot in DIR with debootstrap (minbase), or reuses the one there;
#   2. bind-mounts /proc, /sys, /dev, /dev/pts, /dev/shm and this source tree (read-only, at
#      /src) into it, and unmounts them again on exit, whatever happens;
#   3. installs the build and test dependencies there with build-aux/install-deps.sh;
#   4. builds the app with --werror in DIR/build/_build (outside the source tree);
#   5. runs the core, sim, data, ui and e2e suites (or the `meson test` arguments given after
#      `--`) through build-aux/test-session.sh, and ends with `N passed, N failed, N skipped`.
# The exit status is non-zero when a step or a test failed. Needs root (debootstrap, mount,
# chroot) and Debian's packages (the network, the first time). The chroot takes about 1.5 GB.
set -euo pipefail

usage() {
  sed -n '3,4p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
  exit 2
}

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=/var/tmp/docspace-links-trixie
mirror=http://deb.debian.org/debian
build_dir=/build/_build
test_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --chroot) root=${2:?--chroot needs a directory}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
    --build-dir) build_dir=${2:?--build-dir needs a path inside the chroot}; shift 2 ;;
    --) shift; test_args=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "newer-stack: unknown argument $1" >&2; usage ;;
  esac
done
if [[ ${#test_args[@]} -eq 0 ]]; then
  test_args=(--suite core --suite sim --suite data --suite ui --suite e2e)
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "newer-stack: needs root (debootstrap, mount, chroot); run it with sudo" >&2
  exit 2
fi
for tool in debootstrap chroot mount umount mountpoint; do
  if ! command -v "$tool" >/dev/null; then
    echo "newer-stack: $tool is missing (apt-get install debootstrap)" >&2
    exit 2
  fi
done

started=$SECONDS
step() {
  printf '\n=== newer-stack: %s (%d s) ===\n' "$*" $((SECONDS - started))
}

# --- 1. the chroot ---
# debootstrap leaves DIR/debootstrap/ behind until it has finished: such a directory is not
# reused (it would fail in odd ways later), it is said so.
if [[ -d $root/debootstrap ]]; then
  echo "newer-stack: $root is an unfinished debootstrap; remove it (or pick another --chroot)" >&2
  exit 1
fi
if [[ -f $root/etc/os-release ]]; then
  if ! grep -qx 'VERSION_CODENAME=trixie' "$root/etc/os-release"; then
    echo "newer-stack: $root holds another system than Debian 13 (trixie)" >&2
    exit 1
  fi
  step "reusing the Debian 13 chroot $root"
else
  step "debootstrap Debian 13 into $root"
  mkdir -p "$root"
  debootstrap --variant=minbase --include=ca-certificates trixie "$root" "$mirror"
  # as an installed Debian 13 has them: its stable and security updates
  printf 'deb %s trixie main\ndeb %s trixie-updates main\ndeb %s trixie-security main\n' \
    "$mirror" "$mirror" "${mirror%/debian}/debian-security" >"$root/etc/apt/sources.list"
fi

# --- 2. the mounts, undone on exit (in reverse order; only those made here) ---
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mount_at TARGET MOUNT ARGS...: mounts at $root/TARGET unless something is mounted there.
mount_at() {
  local target=$root$1
  shift
  mkdir -p "$target"
  if mountpoint -q "$target"; then
    return 0
  fi
  mount "$@" "$target"
  mounted+=("$target")
}
mount_at /proc -t proc proc
mount_at /sys --bind /sys
mount_at /dev --bind /dev
mount_at /dev/pts --bind /dev/pts
mount_at /dev/shm --bind /dev/shm
mount_at /src --bind "$source_dir"
# read-only: what runs in the chroot cannot change the tree it tests
mount -o remount,bind,ro "$root/src"
# apt needs a resolver inside
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

# in_chroot COMMAND...: runs COMMAND in the chroot with a clean environment, in /src.
in_chroot() {
  chroot "$root" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
    bash -c 'cd /src && exec "$@"' in_chroot "$@"
}

# --- 3. the dependencies ---
step "dependencies (build-aux/install-deps.sh)"
in_chroot bash build-aux/install-deps.sh

# --- 4. the build ---
step "build with --werror in $root$build_dir"
if [[ -f $root$build_dir/build.ninja ]]; then
  in_chroot meson setup --reconfigure "$build_dir" --werror
else
  rm -rf "${root:?}$build_dir"
  in_chroot meson setup "$build_dir" --werror
fi
in_chroot meson compile -C "$build_dir"

# --- 5. the tests ---
step "meson test ${test_args[*]}"
status=0
in_chroot bash build-aux/test-session.sh \
  meson test -C "$build_dir" --no-rebuild --print-errorlogs "${test_args[@]}" || status=$?

step "summary: $(in_chroot sh -c '. /etc/os-release; echo "$PRETTY_NAME"'), $(in_chroot \
  pkg-config --modversion gtk4 libadwaita-1 glib-2.0 libsoup-3.0 json-glib-1.0 | paste -sd ' ' \
  | awk '{print "GTK " $1 ", libadwaita " $2 ", GLib " $3 ", libsoup " $4 ", json-glib " $5}')"
in_chroot python3 build-aux/test-summary.py "default=$build_dir/meson-logs/testlog.json" || status=1
exit "$status"
