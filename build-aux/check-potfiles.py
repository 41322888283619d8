#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists every file with translatable strings, sorted.

A file under src/ or data/ needs listing when it contains _( N_( C_( NC_( or
translatable="yes". Every listed file must exist. Prints TAP.

Usage: check-potfiles.py SOURCE_ROOT
"""

import os
import re
import sys

MARKERS = re.compile(r'(?<![\w])(?:N?C?_)\(|translatable="yes"')
SCANNED_DIRS = ('src', 'data')
SUFFIXES = ('.c', '.h', '.ui', '.xml', '.in', '.js', '.py', '.blp')


def listed_files(root):
    listed = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as potfiles:
        for line in potfiles:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def files_with_strings(root):
    found = []
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', '_build')))
            for name in sorted(filenames):
                if not name.endswith(SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    with open(path, encoding='utf-8') as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if MARKERS.search(text):
                    found.append(os.path.relpath(path, root))
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    listed = listed_files(root)
    needed = files_with_strings(root)
    checks = []

    missing = [f for f in needed if f not in listed]
    checks.append(('every file with translatable strings is listed', missing,
                   'not in po/POTFILES.in'))
    gone = [f for f in listed if not os.path.isfile(os.path.join(root, f))]
    checks.append(('every listed file exists', gone, 'listed but missing'))
    unsorted = [] if listed == sorted(listed) else ['expected order: ' + ', '.join(sorted(listed))]
    checks.append(('POTFILES.in is sorted', unsorted, 'not sorted'))
    dupes = sorted({f for f in listed if listed.count(f) > 1})
    checks.append(('no file is listed twice', dupes, 'listed twice'))

    print('1..%d' % len(checks))
    failed = False
    for number, (title, problems, what) in enumerate(checks, 1):
        if problems:
            failed = True
            print('not ok %d - %s' % (number, title))
            for problem in problems:
                print('# %s: %s' % (what, problem))
        else:
            print('ok %d - %s' % (number, title))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
