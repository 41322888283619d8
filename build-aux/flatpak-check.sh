#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# flatpak-check.sh [--chroot DIR] [--work DIR] [--e2e-only] [-- E2E TEST NAME...]: builds the
# Flatpak of flatpak/io.github.dslinks.DocSpaceLinks.json for real and runs the e2e suite (or
# the named tests) against the sandboxed app; --e2e-only: against the one installed before.
#
# The GNOME 49 runtime cannot be downloaded everywhere, so a stand-in is made from the Debian 13
# chroot of build-aux/newer-stack.sh (GTK 4.18, libadwaita 1.7, GLib 2.84; run that first):
#   1. installs flatpak, flatpak-builder and the portals (xdg-desktop-portal, -gtk, and -gnome for
#      the Background portal, which writes the autostart entry) if missing;
#   2. a build directory with a `metadata` file, an empty files/ and the chroot's /usr as usr/
#      (hard links), exported with `flatpak build-export --runtime` as org.gnome.Platform and as
#      org.gnome.Sdk 49 into a local repository, added with `flatpak --user remote-add
#      --no-gpg-verify`, both installed (all again only when the chroot's packages changed);
#   3. `flatpak-builder --user --disable-rofiles-fuse --disable-download --install` a copy of the
#      manifest: "appstream-compose": false (the stand-in lacks it), without the libqrencode
#      module (the chroot has the library), the app built from this working tree (tracked and
#      untracked files, not the build directories), "run-tests": true as in the manifest, so
#      the build-time tests run in the build sandbox (no display, no session bus);
#   4. the e2e scripts (a host build of this tree gives them the simulator) on the private
#      desktop of build-aux/test-session.sh with xdg-desktop-portal and -gtk and gnome-keyring's
#      Secret portal (XDG_CURRENT_DESKTOP=GNOME): DSL_E2E_APP makes them start the app with
#      `flatpak run io.github.dslinks.DocSpaceLinks`, and `secret-tool` there runs in the
#      sandbox too, so they see the sandbox's own keyring (the Secret portal's file).
# Everything flatpak makes (repository, installation, state, build directories) stays in the
# work directory (default ${TMPDIR:-/tmp}/dsl-flatpak; FLATPAK_USER_DIR points there). Needs root
# only to install missing packages. The exit status is non-zero when a step or a test failed.
set -euo pipefail

usage() {
  sed -n '3,5p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
  exit 2
}

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chroot_dir=/var/tmp/docspace-links-trixie
work=${TMPDIR:-/tmp}/dsl-flatpak
e2e_tests=()
e2e_only=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --chroot) chroot_dir=${2:?--chroot needs a directory}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --e2e-only) e2e_only=1; shift ;;
    --) shift; e2e_tests=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "flatpak-check: unknown argument $1" >&2; usage ;;
  esac
done

app_id=io.github.dslinks.DocSpaceLinks
manifest=$source_dir/flatpak/$app_id.json
branch=49
started=$SECONDS
step() {
  printf '\n=== flatpak-check: %s (%d s) ===\n' "$*" $((SECONDS - started))
}

if [[ ! -d $chroot_dir/usr/include/gtk-4.0 || ! -d $chroot_dir/usr/include/libadwaita-1 ]]; then
  echo "flatpak-check: no Debian 13 chroot with the build dependencies in $chroot_dir;" \
    "make it with build-aux/newer-stack.sh --chroot $chroot_dir (or pass --chroot DIR)" >&2
  exit 2
fi

# --- 1. the host's tools ---
step "host packages"
packages=(flatpak flatpak-builder xdg-desktop-portal xdg-desktop-portal-gtk xdg-desktop-portal-gnome
  xvfb xauth dbus-daemon at-spi2-core gnome-keyring libsecret-tools python3-dogtail xclip
  meson ninja-build gcc pkgconf libglib2.0-dev libsoup-3.0-dev libjson-glib-dev)
missing=()
for package in "${packages[@]}"; do
  if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true) != installed ]]
  then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "flatpak-check: missing packages; as root: apt-get install ${missing[*]}" >&2
    exit 2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    </dev/null
fi

mkdir -p "$work"
work=$(cd "$work" && pwd)
export FLATPAK_USER_DIR=$work/user
# The build sandbox and the app inherit the locale: the stand-in has C.UTF-8 (and de_DE for the
# German test), not necessarily the host's.
export LC_ALL=C.UTF-8
unset LANGUAGE

# --- 2. the stand-in runtime ---
if [[ $e2e_only -eq 0 ]]; then
# Made again when the chroot's packages or this recipe change.
stamp=$(cat "$chroot_dir/var/lib/dpkg/status" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)
if [[ $(cat "$work/runtime.stamp" 2>/dev/null || true) == "$stamp" ]] &&
   flatpak --user info "org.gnome.Platform//$branch" >/dev/null 2>&1 &&
   flatpak --user info "org.gnome.Sdk//$branch" >/dev/null 2>&1; then
  step "stand-in GNOME $branch runtime: up to date with $chroot_dir"
else
  step "stand-in GNOME $branch runtime from $chroot_dir"
  rm -rf "$work/runtime" "$work/runtime.stamp"
  mkdir -p "$work/runtime/files"
  # Hard links where the file system allows (the chroot is only read), a copy otherwise.
  cp -al "$chroot_dir/usr" "$work/runtime/usr" 2>/dev/null ||
    { rm -rf "$work/runtime/usr"; cp -a "$chroot_dir/usr" "$work/runtime/usr"; }
  # flatpak's build sandbox runs with LC_ALL=en_US.utf8, which the GNOME SDK has: so does the
  # stand-in (the chroot's own localedef, into the copy; GTK warns on a missing locale).
  I18NPATH=$chroot_dir/usr/share/i18n "$chroot_dir/usr/lib64/ld-linux-x86-64.so.2" \
    --library-path "$chroot_dir/usr/lib/x86_64-linux-gnu" "$chroot_dir/usr/bin/localedef" \
    --no-archive -i en_US -f UTF-8 "$work/runtime/usr/lib/locale/en_US.utf8"
  # fontconfig's configuration, which the GNOME runtime has in /usr/etc (flatpak links /etc/fonts)
  mkdir -p "$work/runtime/usr/etc"
  cp -a "$chroot_dir/etc/fonts" "$work/runtime/usr/etc/fonts"
  for name in org.gnome.Platform org.gnome.Sdk; do
    printf '[Runtime]\nname=%s\nruntime=org.gnome.Platform/x86_64/%s\nsdk=org.gnome.Sdk/x86_64/%s\n' \
      "$name" "$branch" "$branch" >"$work/runtime/metadata"
    nice -n 19 flatpak build-export --runtime "$work/repo" "$work/runtime" "$branch" >/dev/null
  done
  flatpak --user remote-add --if-not-exists --no-gpg-verify dsl-standin "file://$work/repo"
  # --or-update: an installed app keeps the runtimes from being uninstalled; they are updated
  flatpak --user install -y --noninteractive --or-update dsl-standin \
    "org.gnome.Platform//$branch" "org.gnome.Sdk//$branch"
  rm -rf "$work/runtime"
  printf '%s\n' "$stamp" >"$work/runtime.stamp"
fi

# --- 3. the app, built and tested in flatpak-builder's sandbox ---
step "flatpak-builder (with the build-time tests)"
rm -rf "$work/tree"
mkdir -p "$work/tree"
(cd "$source_dir" && git ls-files -z -co --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$work/tree"
python3 - "$manifest" "$work/tree" "$work/manifest.json" <<'EOF'
import json
import sys

source, tree, target = sys.argv[1:4]
with open(source, encoding='utf-8') as handle:
    manifest = json.load(handle)
manifest['appstream-compose'] = False
manifest['modules'] = [m for m in manifest['modules'] if m.get('name') != 'libqrencode']
manifest['modules'][-1]['sources'] = [{'type': 'dir', 'path': tree}]
with open(target, 'w', encoding='utf-8') as handle:
    json.dump(manifest, handle, indent=2)
EOF
build_started=$SECONDS
nice -n 19 flatpak-builder --user --disable-rofiles-fuse --disable-download --force-clean \
  --install --state-dir="$work/state" "$work/build" "$work/manifest.json" \
  >"$work/flatpak-builder.log" 2>&1 || {
    tail -n 80 "$work/flatpak-builder.log" >&2
    echo "flatpak-check: flatpak-builder failed; the whole log: $work/flatpak-builder.log" >&2
    exit 1
  }
grep -E '^(Ok|Fail|Skipped|Timeout|Expected Fail|Unexpected Pass): ' "$work/flatpak-builder.log" |
  sed 's/^/  build-time tests: /' || true
echo "flatpak-check: built, tested and installed in $((SECONDS - build_started)) s"
fi

# --- 4. the e2e suite against the sandboxed app ---
step "host build for the e2e scripts (the simulator, the settings schema)"
# made again for another checkout (its e2e scripts are the ones that run)
if [[ $(cat "$work/host-build.source" 2>/dev/null || true) != "$source_dir" ]]; then
  rm -rf "$work/host-build"
fi
if [[ ! -f $work/host-build/build.ninja ]]; then
  printf '%s\n' "$source_dir" >"$work/host-build.source"
  meson setup "$work/host-build" "$source_dir" >"$work/host-setup.log" 2>&1 ||
    { cat "$work/host-setup.log" >&2; exit 1; }
fi
nice -n 19 ninja -C "$work/host-build" tests/sim/docspace-sim data/gschemas.compiled \
  docspace-links-gmo >/dev/null

# The app and secret-tool as the e2e scripts call them: in the sandbox. The app's settings, data
# and cache (the sandbox's XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME, ~/.var/app/ID/config,
# data and cache) are made links to the directories the script chose for them (not the
# session's own data directory, where gnome-keyring keeps its keyrings), which are shared in,
# so that seeding a keyfile and reading back files (the search index too) work as on the host;
# GLib's debug messages go to the app only.
mkdir -p "$work/bin"
for name in docspace-links secret-tool; do
  command=()
  [[ $name == secret-tool ]] && command=(--command=secret-tool)
  cat >"$work/bin/$name" <<EOF
#!/usr/bin/env bash
# made by build-aux/flatpak-check.sh: $name in the sandbox of $app_id
set -euo pipefail
var=\$HOME/.var/app/$app_id
mkdir -p "\$var"
extra=()
for pair in config:XDG_CONFIG_HOME data:XDG_DATA_HOME cache:XDG_CACHE_HOME; do
  dir=\${pair%%:*} name=\${pair#*:}
  value=\${!name:-}
  # a link to an earlier script's directory, removed since: flatpak would not start
  [[ -L \$var/\$dir && ! -e \$var/\$dir ]] && rm -f "\$var/\$dir"
  # not the session's own ~/.local/share (gnome-keyring keeps its keyrings there) or ~/.cache
  # (what secret-tool is given): a link changed under the running app would move its files
  [[ -n \$value && \$value != "\$var/\$dir" && \$value != "\$HOME/.local/share" &&
        \$value != "\$HOME/.cache" ]] || continue
  mkdir -p "\$value"
  if [[ \$(readlink "\$var/\$dir" || true) != "\$value" ]]; then
    rm -rf "\$var/\$dir"
    ln -s "\$value" "\$var/\$dir"
  fi
  extra+=("--filesystem=\$value")
done
[[ -n \${G_MESSAGES_DEBUG:-} ]] && extra+=("--env=G_MESSAGES_DEBUG=\$G_MESSAGES_DEBUG")
if [[ $name == secret-tool && \${1:-} != store ]]; then
  # libsecret's file keyring (the Secret portal's) does not add the xdg:schema attribute the
  # Secret Service adds to what the app stores: match on the others (it holds this app's only)
  args=("\$1")
  shift
  while [[ \$# -gt 0 ]]; do
    if [[ \$1 == xdg:schema && \$# -ge 2 ]]; then shift 2; else args+=("\$1"); shift; fi
  done
  set -- "\${args[@]}"
fi
exec env -u G_MESSAGES_DEBUG flatpak run ${command[*]} "\${extra[@]}" $app_id "\$@"
EOF
  chmod +x "$work/bin/$name"
done

# A browser for "Open in Browser": it writes down the address it was given (DSL_BROWSER_LOG).
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >>"%s"\n' "$work/browser.log" >"$work/bin/dsl-test-browser"
chmod +x "$work/bin/dsl-test-browser"
# A mail program for the share sheet's "Send by E-mail…" (the OpenURI portal starts the
# session's default for mailto:, not one the sandboxed app could name): it writes the URI to
# the file named by DSL_MAILTO_LOG, where tests/e2e/test_share.py reads it.
printf '#!/bin/sh\nprintf "%%s" "$1" >"%s.part" && mv "%s.part" "%s"\n' \
  "$work/mailto.txt" "$work/mailto.txt" "$work/mailto.txt" >"$work/bin/dsl-test-mailer"
chmod +x "$work/bin/dsl-test-mailer"
rm -f "$work/browser.log"

# "Open in Browser" in the sandboxed app, through the OpenURI portal, as a person reaches it:
# the link row's menu of "Q3 report.docx"'s "Shared link" (an e2e scenario of e2elib's).
cat >"$work/open-in-browser.py" <<'EOF'
"""flatpak-check.sh: "Open in Browser" in the sandboxed app reaches the default browser."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ['DSL_SOURCE'], 'tests', 'e2e'))
import e2elib  # noqa: E402
from e2elib import benchlib, press, wait_for  # noqa: E402


def browsed():
    try:
        with open(os.environ['DSL_BROWSER_LOG']) as handle:
            return [line.strip() for line in handle if line.strip()]
    except OSError:
        return []


def main():
    s = e2elib.Scenario('open-in-browser')
    if s.skip_reason:
        return e2elib.skip_all(s.skip_reason)
    with s:
        url = s.start_simulator()
        s.seed_account()
        root = s.start_app()
        portal = benchlib.tree_list(root, 30)
        if portal is None or benchlib.find_row(portal, 'Q3 report.docx', 30) is None:
            raise RuntimeError('no tree with "Q3 report.docx" (%s)' % s.dump('tree'))
        benchlib.focus_row(portal, 'Q3 report.docx')
        links = wait_for(lambda: benchlib.find_named(root, 'Links', ('list', 'list box')))
        row = links and wait_for(lambda: benchlib.find_named(links, 'Shared link',
                                                             benchlib.ROW_ROLES))
        button = row and wait_for(lambda: row.findChild(
            lambda n: (n.name or '').replace('_', '').startswith('Link Menu')
            and n.roleName in ('push button', 'toggle button'),
            retry=False, requireResult=False))
        if button is None:
            raise RuntimeError('no "Link Menu" on "Shared link" (%s)' % s.dump('row'))
        press(button)
        item = wait_for(lambda: root.findChild(
            lambda n: (n.name or '').replace('_', '') == 'Open in Browser'
            and 'menu' in n.roleName, retry=False, requireResult=False), 10)
        if item is None:
            raise RuntimeError('no "Open in Browser" in the link menu (%s)' % s.dump('menu'))
        press(item)
        opened = wait_for(lambda: browsed(), 30)
        s.t.check('"Open in Browser" opens the link in the default browser (OpenURI portal)',
                  opened and all(line.startswith(url) for line in opened),
                  'browser got %r; the portal is %s' % (opened, url))
        s.t.check('Ctrl+Q quits the app cleanly', s.quit_app() == 0)
    return s.finish()


sys.exit(main())
EOF

# Inside build-aux/test-session.sh: the portals find their GNOME backends (GTK's notifications,
# GNOME's background and autostart, gnome-keyring's Secret portal), and the OpenURI portal the
# test browser and mail program as the defaults.
cat >"$work/e2e-session.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
export XDG_CURRENT_DESKTOP=GNOME
mkdir -p "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME"
printf '[Desktop Entry]\nType=Application\nName=Test Browser\nExec=%s %%u\nMimeType=%s\n' \
  "$DSL_TEST_BROWSER" 'x-scheme-handler/http;x-scheme-handler/https;' \
  >"$XDG_DATA_HOME/applications/dsl-test-browser.desktop"
printf '[Desktop Entry]\nType=Application\nName=Test Mailer\nExec=%s %%u\nMimeType=%s\n' \
  "$DSL_TEST_MAILER" 'x-scheme-handler/mailto;' \
  >"$XDG_DATA_HOME/applications/dsl-test-mailer.desktop"
{
  printf '[Default Applications]\n'
  printf 'x-scheme-handler/%s=dsl-test-browser.desktop\n' http https
  printf 'x-scheme-handler/mailto=dsl-test-mailer.desktop\n'
} >"$XDG_CONFIG_HOME/mimeapps.list"
# What a person answers when the app first asks to run in the background (the Background
# portal's question): yes, so test_background.py finds the autostart entry the portal writes.
flatpak permission-set background background io.github.dslinks.DocSpaceLinks yes ||
  echo "flatpak-check: could not grant background permission" >&2
status=0
"$@" || status=$?
rm -f "$DSL_BROWSER_LOG"
find "$HOME/.var/app/io.github.dslinks.DocSpaceLinks" -maxdepth 1 -xtype l -delete 2>/dev/null || true
echo "flatpak-check: Open in Browser in the app:"
DSL_APP=$DSL_E2E_APP /usr/bin/python3 "$DSL_OPEN_IN_BROWSER" || status=1
# The OpenURI portal from inside the sandbox (what gtk_show_uri does there) reaches the browser
# without asking: GIO's own `gio open` in the app's sandbox.
url=http://127.0.0.1:9/s/FlatpakCheck
rm -f "$DSL_BROWSER_LOG"
# the last script's settings directory is gone: its link with it
find "$HOME/.var/app/io.github.dslinks.DocSpaceLinks" -maxdepth 1 -xtype l -delete 2>/dev/null || true
flatpak run --command=gio io.github.dslinks.DocSpaceLinks open "$url" || true
for _ in $(seq 50); do
  grep -qxF "$url" "$DSL_BROWSER_LOG" 2>/dev/null && break
  sleep 0.2
done
if grep -qxF "$url" "$DSL_BROWSER_LOG" 2>/dev/null; then
  echo "flatpak-check: ok - the OpenURI portal opened $url in the default browser"
else
  echo "flatpak-check: not ok - the OpenURI portal did not open $url" >&2
  status=1
fi
exit "$status"
EOF

# The app's libadwaita is the runtime's (the SDK's pkg-config file says which): the scripts
# tell a libadwaita 1.6/1.7 bug's warning from the app's own by it (e2elib.warnings_in).
sdk_dir=$(flatpak --user info --show-location "org.gnome.Sdk//$branch" 2>/dev/null || true)
libadwaita_version=$(sed -n 's/^Version: *//p' \
  "$sdk_dir"/files/lib/*/pkgconfig/libadwaita-1.pc "$sdk_dir"/files/lib/pkgconfig/libadwaita-1.pc \
  2>/dev/null | head -n 1 || true)

e2e_args=(--suite e2e)
if [[ ${#e2e_tests[@]} -gt 0 ]]; then
  e2e_args=("${e2e_tests[@]}")
fi
step "e2e against flatpak run $app_id: ${e2e_args[*]}"
status=0
PATH=$work/bin:$PATH DSL_E2E_APP=$work/bin/docspace-links DSL_E2E_LIBADWAITA=$libadwaita_version \
  DSL_TEST_BROWSER=$work/bin/dsl-test-browser \
  DSL_TEST_MAILER=$work/bin/dsl-test-mailer DSL_MAILTO_LOG=$work/mailto.txt \
  DSL_BROWSER_LOG=$work/browser.log DSL_OPEN_IN_BROWSER=$work/open-in-browser.py \
  DSL_SOURCE=$source_dir DSL_SIM=$work/host-build/tests/sim/docspace-sim \
  GSETTINGS_SCHEMA_DIR=$work/host-build/data DSL_ARTIFACTS=$work/host-build/tests/artifacts \
  bash "$source_dir/build-aux/test-session.sh" bash "$work/e2e-session.sh" \
  nice -n 19 meson test -C "$work/host-build" --no-rebuild --print-errorlogs "${e2e_args[@]}" ||
  status=$?
step "done (exit status $status)"
exit "$status"
