#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Static checks of the Flatpak manifest (no flatpak-builder needed). Prints TAP.

Usage: check-flatpak-manifest.py MANIFEST APP_ID COMMAND
"""

import json
import sys

REQUIRED_FINISH_ARGS = ['--share=network', '--share=ipc', '--socket=fallback-x11',
                        '--socket=wayland', '--device=dri']
# Everything else goes through portals: notifications (GNotification), Open in Browser
# (OpenURI), the keyring (libsecret 0.20+ keeps a file encrypted with the Secret portal's
# per-app secret when /.flatpak-info exists), background checking (Background).
FORBIDDEN_FINISH_ARGS = ['--socket=x11', '--filesystem=home', '--filesystem=host',
                         '--socket=session-bus', '--talk-name=org.freedesktop.secrets',
                         '--talk-name=org.freedesktop.Notifications']
# The oldest GNOME runtime still maintained when the manifest was last moved.
MIN_RUNTIME_VERSION = 49


def main():
    path, app_id, command = sys.argv[1:4]
    checks = []
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
        checks.append(('the manifest is valid JSON', None))
    except (OSError, ValueError) as error:
        print('1..1\nnot ok 1 - the manifest is valid JSON\n# %s' % error)
        return 1

    def check(title, ok, detail=''):
        checks.append((title, None if ok else detail or 'check failed'))

    check('id is the application ID', manifest.get('id') == app_id,
          'id is %r' % manifest.get('id'))
    check('runtime and SDK are GNOME', manifest.get('runtime') == 'org.gnome.Platform'
          and manifest.get('sdk') == 'org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    check('the runtime is GNOME %d or newer' % MIN_RUNTIME_VERSION,
          version.isdigit() and int(version) >= MIN_RUNTIME_VERSION,
          'runtime-version is %r' % manifest.get('runtime-version'))
    check('command is the executable', manifest.get('command') == command,
          'command is %r' % manifest.get('command'))
    finish = manifest.get('finish-args', [])
    missing = [a for a in REQUIRED_FINISH_ARGS if a not in finish]
    check('finish-args give network, IPC, Wayland, fallback X11 and DRI', not missing,
          'missing: %s' % ', '.join(missing))
    extra = [a for a in FORBIDDEN_FINISH_ARGS if a in finish]
    check('finish-args ask for nothing more', not extra, 'not needed: %s' % ', '.join(extra))
    talk = [a for a in finish if a.startswith(('--talk-name=', '--own-name='))]
    check('no D-Bus names beyond the sandbox\'s own (portals instead)', not talk,
          'asks for: %s' % ', '.join(talk))
    modules = manifest.get('modules', [])
    last = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    check('the app module is built with meson', last.get('buildsystem') == 'meson')
    check('the app module is built from the checkout',
          {'type': 'dir', 'path': '..'} in last.get('sources', []))
    check('the app module runs its tests in the build sandbox', last.get('run-tests') is True)
    # libqrencode (the share sheet's QR code) is not in the GNOME runtime: a module of its
    # own, before the app, from upstream's release tarball, checked by its sha256.
    names = [m.get('name') for m in modules if isinstance(m, dict)]
    qrencode = next((m for m in modules
                     if isinstance(m, dict) and m.get('name') == 'libqrencode'), None)
    check('libqrencode is built before the app', qrencode is not None
          and names.index('libqrencode') < len(names) - 1,
          'modules: %s' % ', '.join(map(str, names)))
    sources = (qrencode or {}).get('sources', [])
    archive = sources[0] if len(sources) == 1 and isinstance(sources[0], dict) else {}
    sha256 = str(archive.get('sha256', ''))
    check('libqrencode comes from upstream\'s https tarball with its sha256',
          archive.get('type') == 'archive'
          and str(archive.get('url', '')).startswith('https://fukuchi.org/works/qrencode/')
          and len(sha256) == 64 and all(c in '0123456789abcdef' for c in sha256),
          'source: %r' % archive)
    check('libqrencode is a library only (no tools)',
          '-DWITH_TOOLS=NO' in (qrencode or {}).get('config-opts', []))

    print('1..%d' % len(checks))
    failed = 0
    for number, (title, problem) in enumerate(checks, 1):
        if problem:
            failed += 1
            print('not ok %d - %s\n# %s' % (number, title, problem))
        else:
            print('ok %d - %s' % (number, title))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
