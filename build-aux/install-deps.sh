#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh: install the Debian 12 packages DocSpace Links needs to build, run and test,
# and only those that are missing (checked with dpkg-query first, so a ready machine needs no
# network and no root); then generate the de_DE.UTF-8 locale the German window test runs in,
# only if `locale -a` lacks it. Used by run-demo.sh and run-tests.sh, and in a Debian 13 chroot
# by newer-stack.sh: Debian 13 has every package below under the same name (checked), so there
# is nothing to rename.
set -euo pipefail

packages=(
  # build
  gcc libc6-dev pkgconf meson ninja-build gettext libxml2-utils
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  # the share sheet's QR code
  libqrencode-dev
  # validation tests (suite data)
  desktop-file-utils appstream python3
  # gtk-launch, for the installed desktop entry (check-install)
  libgtk-3-bin
  # what the app needs at run time on a bare machine: icons, SVG loader, settings backend
  adwaita-icon-theme hicolor-icon-theme librsvg2-common dconf-gsettings-backend fonts-cantarell
  # a private desktop for the ui and e2e suites (build-aux/test-session.sh)
  xvfb xauth dbus-daemon dbus-x11 at-spi2-core gnome-keyring libsecret-tools
  # driving the window as a person would, clipboard and screenshots
  python3-gi python3-dogtail gir1.2-atspi-2.0 xclip imagemagick
  # finding the windows to crop the screenshots to (build-aux/screenshots.py: xwininfo)
  x11-utils
  # reading the share sheet's QR codes back (tests/test-qr.c, test-share-sheet.c): zbarimg,
  # and rsvg-convert for the SVG
  zbar-tools librsvg2-bin
  # memory checking (valgrind setup; ASan/UBSan come with gcc)
  valgrind
  # locale-gen, for the German window test (test_german); the locale itself is generated below
  locales
)

# The locales the tests run in, as in /etc/locale.gen ("NAME CHARSET").
locales=(
  "de_DE.UTF-8 UTF-8"
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ $status != installed ]]; then
    missing+=("$package")
  fi
done

sudo=()
need_root() {
  if [[ $(id -u) -ne 0 && ${#sudo[@]} -eq 0 ]]; then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      echo "install-deps: not root and no sudo; as root: $*" >&2
      exit 1
    fi
  fi
}

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
else
  echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
  need_root "install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# `locale -a` spells de_DE.UTF-8 as de_DE.utf8: compare without case and dashes.
normalize() { tr '[:upper:]' '[:lower:]' | tr -d -- '-'; }
available=$(locale -a 2>/dev/null | normalize)
to_generate=()
for entry in "${locales[@]}"; do
  name=${entry%% *}
  if ! grep -qxF -- "$(printf '%s' "$name" | normalize)" <<<"$available"; then
    to_generate+=("$entry")
  fi
done

if [[ ${#to_generate[@]} -eq 0 ]]; then
  echo "install-deps: all ${#locales[@]} locales are generated"
  exit 0
fi

echo "install-deps: generating ${#to_generate[@]} locales: ${to_generate[*]}"
need_root "enable ${to_generate[*]} in /etc/locale.gen and run locale-gen"
for entry in "${to_generate[@]}"; do
  # Uncomment the entry in /etc/locale.gen, or add it when the file does not list it. (The
  # dots in the entry match any character, themselves included: good enough here.)
  if grep -qE "^# *${entry}\$" /etc/locale.gen 2>/dev/null; then
    "${sudo[@]}" sed -i -E "s/^# *(${entry})\$/\1/" /etc/locale.gen
  elif ! grep -qxF -- "$entry" /etc/locale.gen 2>/dev/null; then
    printf '%s\n' "$entry" | "${sudo[@]}" tee -a /etc/locale.gen >/dev/null
  fi
done
"${sudo[@]}" locale-gen
