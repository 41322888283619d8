#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: a share URL on the command line opens Find Link resolved.

Starts docspace-sim and the app signed in as Olivia Owner with no typing (key in the session's
keyring, account in a GSettings keyfile), as "docspace-links <URL>" — the desktop file's
Exec=docspace-links %U — with the long form a browser shows after opening room 101's link
"Partners" (its /s/ shareLink redirects to /rooms/share?key=<requestToken>; issue 12 rule 8).
Then with dogtail:
  - a window "Find Link" shows the item "Marketing" and the link "Partners", says the link is
    protected by a password, and keeps the long URL in the entry;
  - the portal was asked once, GET files/share/{key}, and not scanned (no file's links read);
  - "Copy link" puts exactly the short shareLink on the clipboard (xclip);
  - a second start with the editor's long form of 401's "Download blocked"
    (doceditor?fileid=401&share=<key>) reaches the running instance and the same dialog shows
    "Q3 report.docx";
  - the long form of the expired link "Old preview", typed into the entry, is said to be expired;
  - a screenshot is kept as find-link.png; Ctrl+Q quits cleanly, no warnings in the output.

Prints TAP. Needs a display and an accessibility bus: build-aux/run-tests.sh provides both.
"""

import http.client
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
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


def long_form(short):
    """Where a short link redirects (the long form a browser then shows), not followed."""
    parts = urllib.parse.urlsplit(short)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    connection.request('GET', parts.path)
    answer = connection.getresponse()
    location = answer.getheader('Location')
    connection.close()
    if answer.status != 302 or not location:
        raise RuntimeError('%s answered %s, not a redirect' % (short, answer.status))
    return location


def share_requests(url, key):
    return [r for r in benchlib.sim_requests(url)
            if r['method'] == 'GET' and r['path'] == '/api/2.0/files/share/' + key]


def scanned(url):
    """The account's scan reads every file's links, also Spec.docx (331) nobody opens here."""
    return any(r['path'] == '/api/2.0/files/file/331/links' for r in benchlib.sim_requests(url))


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
        old = share_link(url, '/api/2.0/files/rooms/101/links?type=1', 'Old preview')
        partners_long = long_form(partners)
        blocked_long = long_form(blocked)
        old_long = long_form(old)
        partners_key = urllib.parse.parse_qs(urllib.parse.urlsplit(partners_long).query)['key'][0]
        t.check('the short link redirects to the room\'s long form',
                '/rooms/share?key=' in partners_long, partners_long)
        t.check('a document\'s short link redirects to the editor\'s long form',
                '/doceditor?fileid=401&share=' in blocked_long, blocked_long)
        t.note('opening the long form of "Partners"')
        benchlib.sim_clear_requests(url)

        root = s.start_app(partners_long)
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
        t.check('the dialog says so plainly', dialog.findChild(
            lambda n: n.name.startswith('This link is protected by a password'), retry=False,
            requireResult=False) is not None, '\n'.join(benchlib.dump_tree(dialog, limit=160)))
        t.check('the entry holds the URL given',
                any(e2elib.text_of(n) == partners_long for n in dialog.findChildren(
                    lambda n: n.roleName == 'text' and n.name == 'Share link')))
        asked = share_requests(url, partners_key)
        t.check('the portal was asked about the key once (GET files/share/{key})',
                len(asked) == 1, json.dumps(asked))
        t.check('and the portal was not scanned', not scanned(url))
        benchlib.screenshot(os.path.join(artifacts, 'find-link.png'))

        if shutil.which('xclip') is None:
            t.skip('"Copy link" puts the link on the clipboard', 'xclip is not installed')
        else:
            # GTK 4.8 appends the label's text to the accessible name: "Copy link Copy Link";
            # GTK 4.18 names a button after its label child alone: "Copy Link"
            copy = dialog.findChild(lambda n: n.roleName == 'push button'
                                    and n.name.lower().startswith('copy link'), retry=False,
                                    requireResult=False)
            t.check('the result has a "Copy link" button', copy is not None,
                    '\n'.join(benchlib.dump_tree(dialog, limit=200)))
            if copy is not None:
                e2elib.press(copy)
                copied = e2elib.wait_for(lambda: clipboard() == partners, 10)
                t.check('"Copy link" puts exactly the shareLink on the clipboard', copied,
                        'clipboard: %r' % clipboard())

        # A second start hands its URL to the running instance.
        second = subprocess.run([s.app_path, blocked_long], env=env, stdin=subprocess.DEVNULL,
                                stdout=s.app_log, stderr=subprocess.STDOUT, timeout=60)
        t.check('a second start with another share URL exits at once', second.returncode == 0)
        q3 = e2elib.wait_for(lambda: shows(find_dialog(root) or root, 'Q3 report.docx'), 30)
        t.check('the running instance shows the second link\'s item "Q3 report.docx"',
                q3 is not None, '\n'.join(benchlib.dump_tree(root, limit=160)))
        t.check('and the link "Download blocked"',
                shows(find_dialog(root) or root, 'Download blocked') is not None)

        # An expired link's long form, typed into the entry.
        dialog = find_dialog(root)
        entry = dialog.findChild(lambda n: n.roleName == 'text' and n.name == 'Share link',
                                 retry=False, requireResult=False) if dialog else None
        # GTK 4.8 names a mnemonic button "<label with _> <label>": "_Find Find"
        find = dialog.findChild(lambda n: n.roleName == 'push button'
                                and n.name.split(' ')[-1] == 'Find',
                                retry=False, requireResult=False) if dialog else None
        t.check('the dialog has its entry and "Find"', entry is not None and find is not None,
                '\n'.join(benchlib.dump_tree(dialog or root, limit=160)))
        if entry is not None and find is not None:
            e2elib.set_text(entry, old_long)
            e2elib.press(find)
            expired = e2elib.wait_for(lambda: dialog.findChild(
                lambda n: n.name.startswith('This link has expired'), retry=False,
                requireResult=False), 20)
            t.check('an expired link\'s long form is said to be expired', expired is not None,
                    '\n'.join(benchlib.dump_tree(dialog, limit=160)))

        status = s.quit_app()
        t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
