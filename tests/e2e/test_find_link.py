#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: a share URL on the command line opens Find Link resolved.

Starts docspace-sim and the app signed in as Olivia Owner with no typing (key in the session's
keyring, account in a GSettings keyfile), as "docspace-links <shareLink>" — the desktop file's
Exec=docspace-links %U — with the shareLink of room 101's link "Partners" as the simulator gives
it. Then with dogtail:
  - a window "Find Link" shows the item "Marketing" and the link "Partners" with a password;
  - "Copy link" puts exactly that shareLink on the clipboard (xclip);
  - a second start with the shareLink of 401's "Download blocked" reaches the running instance
    and the same dialog shows "Q3 report.docx";
  - a screenshot is kept as find-link.png; Ctrl+Q quits cleanly, no warnings in the output.

Prints TAP. Needs a display and an accessibility bus: build-aux/run-tests.sh provides both.
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402
from e2elib import benchlib, skip_all  # noqa: E402


def share_link(url, path, title):
    """The shareLink of the link titled `title` among the links at `path` (owner's key)."""
    request = urllib.request.Request(url + path, headers={
        'Authorization': 'Bearer ' + benchlib.OWNER_KEY, 'Accept': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        links = json.load(answer)['response']
    for entry in links:
        shared = entry.get('sharedLink') or {}
        if shared.get('title') == title:
            return shared['shareLink']
    raise RuntimeError('no link %r at %s' % (title, path))


def clipboard():
    result = subprocess.run(['xclip', '-selection', 'clipboard', '-o'], capture_output=True,
                            timeout=10)
    return result.stdout.decode(errors='replace')


def find_dialog(root):
    return root.findChild(lambda n: n.roleName in ('frame', 'dialog', 'window')
                          and n.name == 'Find Link', retry=False, requireResult=False)


def shows(node, text):
    return node.findChild(lambda n: n.name == text, retry=False, requireResult=False)


def main():
    s = e2elib.Scenario('find-link')
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, artifacts, env = s.t, s.artifacts, s.env

    with s:
        url = s.start_simulator()
        s.seed_account()
        partners = share_link(url, '/api/2.0/files/rooms/101/links?type=1', 'Partners')
        blocked = share_link(url, '/api/2.0/files/file/401/links', 'Download blocked')
        t.note('opening %s' % partners)

        root = s.start_app(partners)
        t.check('the app shows up in the accessibility tree', root is not None)

        dialog = e2elib.wait_for(lambda: find_dialog(root), 30)
        t.check('a share URL on the command line opens the "Find Link" window',
                dialog is not None, '\n'.join(benchlib.dump_tree(root, limit=120)))
        if dialog is None:
            raise RuntimeError('no Find Link window')

        item = e2elib.wait_for(lambda: shows(dialog, 'Marketing'), 30)
        t.check('it is resolved to the item "Marketing"', item is not None,
                '\n'.join(benchlib.dump_tree(dialog, limit=120)))
        t.check('and to the link "Partners"', shows(dialog, 'Partners') is not None)
        t.check('which has a password', shows(dialog, 'Yes') is not None)
        t.check('the entry holds the URL given',
                any(e2elib.text_of(n) == partners for n in dialog.findChildren(
                    lambda n: n.roleName == 'text' and n.name == 'Share link')))
        benchlib.screenshot(os.path.join(artifacts, 'find-link.png'))

        if shutil.which('xclip') is None:
            t.skip('"Copy link" puts the link on the clipboard', 'xclip is not installed')
        else:
            # GTK 4.8 appends the label's text to the accessible name: "Copy link Copy Link"
            copy = dialog.findChild(lambda n: n.roleName == 'push button'
                                    and n.name.startswith('Copy link'), retry=False,
                                    requireResult=False)
            t.check('the result has a "Copy link" button', copy is not None,
                    '\n'.join(benchlib.dump_tree(dialog, limit=200)))
            if copy is not None:
                e2elib.press(copy)
                copied = e2elib.wait_for(lambda: clipboard() == partners, 10)
                t.check('"Copy link" puts exactly the shareLink on the clipboard', copied,
                        'clipboard: %r' % clipboard())

        # A second start hands its URL to the running instance.
        second = subprocess.run([s.app_path, blocked], env=env, stdin=subprocess.DEVNULL,
                                stdout=s.app_log, stderr=subprocess.STDOUT, timeout=60)
        t.check('a second start with another share URL exits at once', second.returncode == 0)
        q3 = e2elib.wait_for(lambda: shows(find_dialog(root) or root, 'Q3 report.docx'), 30)
        t.check('the running instance shows the second link\'s item "Q3 report.docx"',
                q3 is not None, '\n'.join(benchlib.dump_tree(root, limit=160)))
        t.check('and the link "Download blocked"',
                shows(find_dialog(root) or root, 'Download blocked') is not None)

        status = s.quit_app()
        t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
