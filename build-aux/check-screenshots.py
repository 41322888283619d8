#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the screenshots of the metainfo and the README honest. Prints TAP.

Usage: check-screenshots.py SOURCE_ROOT METAINFO_IN

- every <screenshot> of METAINFO_IN (the source template) has a caption and one source image
  whose https URL names data/screenshots/NAME.png on the repository's main branch (the
  homepage URL's repository), and exactly one of them is the default;
- each such file is in data/screenshots, is a PNG, is as wide and high as the <image> says,
  and is no bigger than MAX_BYTES;
- build-aux/screenshots.py makes each of them (so none is drawn by hand), and there is no
  other PNG in data/screenshots;
- the README links the same files (relative links), and a light and a dark picture are there.
Only the standard library: runs without a build and without a display.
"""

import os
import re
import struct
import sys
import xml.etree.ElementTree as ElementTree

SHOTS_DIR = 'data/screenshots'
MAX_BYTES = 400 * 1024
PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def png_size(path):
    """(width, height) from the IHDR chunk, or None when `path` is not a PNG."""
    with open(path, 'rb') as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != PNG_SIGNATURE or head[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', head[16:24])


def main():
    root, metainfo = sys.argv[1:3]
    checks = []

    def check(title, ok, detail=''):
        checks.append((title, None if ok else detail or 'check failed'))
        return ok

    try:
        component = ElementTree.parse(metainfo).getroot()
    except (OSError, ElementTree.ParseError) as error:
        print('1..1\nnot ok 1 - the metainfo is well-formed XML\n# %s' % error)
        return 1

    homepage = next((u.text.strip() for u in component.findall('url')
                     if u.get('type') == 'homepage' and u.text), '')
    match = re.fullmatch(r'https://github\.com/([^/]+/[^/]+?)/?', homepage)
    check('the homepage is a GitHub repository', match is not None, 'homepage %r' % homepage)
    prefix = 'https://raw.githubusercontent.com/%s/main/%s/' % (
        match.group(1) if match else '?', SHOTS_DIR)

    shots = component.findall('screenshots/screenshot')
    check('the metainfo has screenshots', len(shots) > 0)
    defaults = [s for s in shots if s.get('type') == 'default']
    check('exactly one screenshot is the default', len(defaults) == 1,
          '%d defaults' % len(defaults))

    with open(os.path.join(root, 'build-aux', 'screenshots.py'), encoding='utf-8') as f:
        made = set(re.findall(r"'([a-z0-9-]+\.png)'", f.read()))

    named = []
    for number, shot in enumerate(shots, 1):
        caption = (shot.findtext('caption') or '').strip()
        check('screenshot %d has a caption' % number, caption != '')
        images = shot.findall('image')
        if not check('screenshot %d has one source image' % number,
                     len(images) == 1 and images[0].get('type', 'source') == 'source',
                     '%d images' % len(images)):
            continue
        image = images[0]
        url = (image.text or '').strip()
        if not check('screenshot %d: the URL is %sNAME.png' % (number, prefix),
                     url.startswith(prefix) and re.fullmatch(r'[a-z0-9-]+\.png',
                                                             url[len(prefix):]) is not None,
                     'URL %r' % url):
            continue
        name = url[len(prefix):]
        named.append(name)
        path = os.path.join(root, SHOTS_DIR, name)
        if not check('%s is in %s' % (name, SHOTS_DIR), os.path.isfile(path)):
            continue
        size = png_size(path)
        if not check('%s is a PNG' % name, size is not None):
            continue
        declared = (image.get('width'), image.get('height'))
        check('%s is %sx%s as the metainfo says' % ((name,) + declared),
              declared == tuple(str(n) for n in size), 'the file is %dx%d' % size)
        check('%s is at most %d KiB' % (name, MAX_BYTES // 1024),
              os.path.getsize(path) <= MAX_BYTES, '%d bytes' % os.path.getsize(path))
        check('build-aux/screenshots.py makes %s' % name, name in made,
              'the script makes %s' % ', '.join(sorted(made)))

    check('no screenshot is named twice', len(named) == len(set(named)), named)
    present = sorted(f for f in os.listdir(os.path.join(root, SHOTS_DIR))
                     if f.endswith('.png')) if os.path.isdir(os.path.join(root, SHOTS_DIR)) else []
    check('%s holds only the screenshots the metainfo names' % SHOTS_DIR,
          set(present) == set(named), 'in the directory: %s' % ', '.join(present))
    check('a light and a dark screenshot are named',
          any('dark' in n for n in named) and any('dark' not in n for n in named), named)

    with open(os.path.join(root, 'README.md'), encoding='utf-8') as f:
        readme = set(re.findall(r'!\[[^\]]*\]\(%s/([^)\s]+\.png)\)' % re.escape(SHOTS_DIR),
                                f.read()))
    check('the README shows the same screenshots (relative links)', readme == set(named),
          'README: %s; metainfo: %s' % (', '.join(sorted(readme)), ', '.join(named)))

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
