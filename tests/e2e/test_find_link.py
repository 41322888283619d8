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
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402
from e2elib import Tap, benchlib, skip_all  # noqa: E402


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
    missing = e2elib.missing_session()
    if missing:
        return skip_all(missing)
    try:
        rawinput, tree = e2elib.load_dogtail(0.3)
    except ImportError as error:
        return skip_all('dogtail is not available: %s' % error)

    sim_path = os.environ['DSL_SIM']
    app_path = os.environ['DSL_APP']
    artifacts = os.environ.get('DSL_ARTIFACTS') or tempfile.mkdtemp()
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix='dsl-e2e-find-link.')
    env = e2elib.app_env(work)
    t = Tap()
    sim = app = None
    sim_log = open(os.path.join(artifacts, 'e2e-find-link-sim.log'), 'w')
    app_log_path = os.path.join(artifacts, 'e2e-find-link-app.log')
    app_log = open(app_log_path, 'w')
    root = None

    try:
        sim, url = benchlib.start_simulator(sim_path, sim_log)
        benchlib.seed_account(env, url)
        partners = share_link(url, '/api/2.0/files/rooms/101/links?type=1', 'Partners')
        blocked = share_link(url, '/api/2.0/files/file/401/links', 'Download blocked')
        t.note('opening %s' % partners)

        app, root = e2elib.start_app(tree, app_path, env, app_log, partners)
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
        second = subprocess.run([app_path, blocked], env=env, stdin=subprocess.DEVNULL,
                                stdout=app_log, stderr=subprocess.STDOUT, timeout=60)
        t.check('a second start with another share URL exits at once', second.returncode == 0)
        q3 = e2elib.wait_for(lambda: shows(find_dialog(root) or root, 'Q3 report.docx'), 30)
        t.check('the running instance shows the second link\'s item "Q3 report.docx"',
                q3 is not None, '\n'.join(benchlib.dump_tree(root, limit=160)))
        t.check('and the link "Download blocked"',
                shows(find_dialog(root) or root, 'Download blocked') is not None)
    except Exception as error:   # one failure, with the reason, instead of a traceback
        t.check('the scenario ran to the end', False, repr(error))
    finally:
        if app is not None:
            status = e2elib.quit_app(app, rawinput, app_log, app_log_path, work) \
                if root is not None else None
            if status is None:
                app.kill()
                app.wait()
            t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)
            app_log.flush()
            warnings = e2elib.warnings_in(e2elib.read_output(app_log_path))
            t.check('no warnings or criticals in the app\'s output', not warnings,
                    '\n'.join(warnings[:20]))
        if sim is not None:
            benchlib.stop(sim)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
