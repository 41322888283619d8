#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Static checks of the Flatpak manifest (no flatpak-builder needed). Prints TAP.

Usage: check-flatpak-manifest.py MANIFEST APP_ID COMMAND
"""

import json
import sys

REQUIRED_FINISH_ARGS = ['--share=network', '--share=ipc', '--socket=fallback-x11',
                        '--socket=wayland', '--device=dri']
FORBIDDEN_FINISH_ARGS = ['--socket=x11', '--filesystem=home', '--filesystem=host']


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
    check('command is the executable', manifest.get('command') == command,
          'command is %r' % manifest.get('command'))
    finish = manifest.get('finish-args', [])
    missing = [a for a in REQUIRED_FINISH_ARGS if a not in finish]
    check('finish-args give network, IPC, Wayland, fallback X11 and DRI', not missing,
          'missing: %s' % ', '.join(missing))
    extra = [a for a in FORBIDDEN_FINISH_ARGS if a in finish]
    check('finish-args ask for nothing more', not extra, 'not needed: %s' % ', '.join(extra))
    modules = manifest.get('modules', [])
    last = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    check('the app module is built with meson', last.get('buildsystem') == 'meson')
    check('the app module is built from the checkout',
          {'type': 'dir', 'path': '..'} in last.get('sources', []))

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
