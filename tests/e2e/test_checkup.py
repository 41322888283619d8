#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: the link checkup window of a signed-in app, driven through the accessibility tree.

Starts docspace-sim (the seed portal, --state FILE as the ground truth) and the app signed in as
Olivia Owner with no typing. Then with dogtail:
  - the header button "Link Checkup" opens the window "Link Checkup"; the scan runs by itself
    and its label reports as many links as the simulator has (external links of Rooms and My
    documents in the state file); a screenshot is kept as tests/artifacts/checkup.png;
  - closing it and pressing Ctrl+Shift+L opens it again without a second scan (results are kept
    per account until refreshed: no request reaches the simulator);
  - the search entry narrows the list ("Partners": one link);
  - Ctrl+Q quits cleanly; no warnings or criticals in the app's output, the key never in it.

Prints TAP. Needs a display and an accessibility bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP, DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import json
import os
import re
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402
from e2elib import benchlib, press, set_text, skip_all, wait_for  # noqa: E402


def truth(state_file):
    """External links (not invitation links) of entries under Rooms ("1") and My documents
    ("2") in the simulator's state file."""
    with open(state_file) as f:
        entries = {e['id']: e for e in json.load(f)['entries']}

    def root(entry):
        while entry.get('parent') in entries:
            entry = entries[entry['parent']]
        return entry['id']
    return {link['id'] for e in entries.values() if root(e) in ('1', '2') and e['id'] not in
            ('1', '2') for link in e.get('links') or [] if link['subjectType'] != 3}


def checkup_window(tree):
    app = tree.root.application('docspace-links')
    return app.findChild(lambda n: n.roleName in ('frame', 'window', 'dialog')
                         and n.name == 'Link Checkup', retry=False, requireResult=False)


def found_count(window):
    """M of the label "N items scanned, M links found", once the scan is over (the progress
    bar hidden: GTK 4.8 sets no "showing" state, so the label is read until it settles)."""
    label = window.findChild(lambda n: n.roleName == 'label'
                             and re.search(r'links? found', n.name or '') is not None,
                             retry=False, requireResult=False)
    if label is None:
        return None
    match = re.search(r'(\d+) links? found', label.name)
    return int(match.group(1)) if match else None


def main():
    s = e2elib.Scenario('checkup')
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, rawinput, tree, artifacts = s.t, s.rawinput, s.tree, s.artifacts
    state_file = os.path.join(s.work, 'state.json')

    with s:
        url = s.start_simulator('--state', state_file)
        # A reset writes the seed portal to the state file: the ground truth.
        urllib.request.urlopen(urllib.request.Request(url + '/__sim/reset', method='POST'),
                               timeout=10).read()
        s.seed_account()
        root = s.start_app()
        tree_view = benchlib.tree_list(root, 30)
        t.check('the seeded account opens the signed-in window',
                tree_view is not None and benchlib.find_row(tree_view, 'Rooms', 30) is not None)
        expected = truth(state_file)

        button = wait_for(lambda: benchlib.find_named(root, 'Link Checkup', ('push button',)))
        t.check('the header has a "Link Checkup" button', button is not None)
        press(button)
        window = wait_for(lambda: checkup_window(tree))
        t.check('it opens the window "Link Checkup"', window is not None)
        settled = wait_for(lambda: found_count(window) == len(expected), 30)
        t.check('the checkup finds as many links as the portal has (%d)' % len(expected),
                settled, 'label says %s' % found_count(window))
        benchlib.screenshot(os.path.join(artifacts, 'checkup.png'), 0.5)

        rows = window.findChildren(lambda n: n.roleName in ('table row', 'list item', 'row'),
                                   recursive=True)
        t.check('the table has rows', len(rows) > 0, '\n'.join(benchlib.dump_tree(window,
                                                                                    limit=60)))

        # Closed and opened again with the shortcut: no second scan.
        before = len(benchlib.sim_requests(url))
        rawinput.keyCombo('<Control>w')
        wait_for(lambda: checkup_window(tree) is None, 10)
        rawinput.keyCombo('<Control><Shift>l')
        window = wait_for(lambda: checkup_window(tree))
        t.check('Ctrl+Shift+L opens the checkup again', window is not None)
        kept = window is not None and wait_for(lambda: found_count(window) == len(expected), 10)
        t.check('its results were kept: %d links, no new request' % len(expected),
                kept and len(benchlib.sim_requests(url)) == before,
                'requests %d -> %d' % (before, len(benchlib.sim_requests(url))))

        search = window.findChild(lambda n: n.name == 'Search links', retry=False,
                                  requireResult=False)
        t.check('the checkup has the entry "Search links"', search is not None)
        if search is not None:
            set_text(search, 'Partners')
            one = wait_for(lambda: len(window.findChildren(
                lambda n: n.roleName == 'label' and n.name == 'Partners', recursive=True)) == 1
                and len(window.findChildren(lambda n: n.roleName == 'label'
                                            and n.name == 'Old preview', recursive=True)) == 0,
                10)
            t.check('searching "Partners" leaves that link only', bool(one))

        rawinput.keyCombo('<Control>w')
        wait_for(lambda: checkup_window(tree) is None, 10)
        status = s.quit_app()
        t.check('Ctrl+Q quits the app cleanly', status == 0, 'exit status %s' % status)
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
