#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: Preferences' defaults for new links, driven through the accessibility tree.

Starts docspace-sim and the app signed in as Olivia Owner with no typing. Then:
  - Ctrl+, opens Preferences; its "New Links" group offers "Access", "Expires after" and
    "Require a password"; turning the password switch on and
    picking "30 days" writes default-password-required and default-expiry-preset (read back
    with gsettings);
  - Escape closes it; "Add Link" on 401 "Q3 report.docx" opens the editor with "Require
    password" on, the password field empty, "Expires" at "30 days" and Save insensitive until a
    password is typed; Escape closes it without sending anything;
  - Ctrl+Q quits cleanly; no warnings or criticals in the app's output, the key never in it.

Prints TAP. Needs a display and a session bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP, DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, dogtail, the app; puts tests/bench on the path)
from e2elib import ENTRY_ROLES, Tap, benchlib, press, skip_all, wait_for  # noqa: E402
from test_links import button_in, find, plain, puts  # noqa: E402

SWITCH_ROLES = ('toggle button', 'switch', 'check box')


def is_on(node):
    """A switch's state as AT-SPI reports it (GTK 4 sets "checked", some versions "pressed")."""
    import pyatspi
    states = node.getState()
    return states.contains(pyatspi.STATE_CHECKED) or states.contains(pyatspi.STATE_PRESSED)


def gsettings_get(env, key):
    """The key's value as the app stored it (GSettings keyfile of the app's environment)."""
    quiet = dict(env)
    quiet.pop('G_MESSAGES_DEBUG', None)   # GLib prints debug messages on stdout
    return subprocess.run(['gsettings', 'get', benchlib.SCHEMA_ID, key], env=quiet,
                          capture_output=True, text=True, timeout=30).stdout.strip()


def names_below(node):
    return [plain(n.name) for n in node.findChildren(lambda n: True, recursive=True)]


def main():
    missing = e2elib.missing_session()
    if missing:
        return skip_all(missing)
    try:
        rawinput, tree = e2elib.load_dogtail(0.2)
    except ImportError as error:
        return skip_all('dogtail is not available: %s' % error)

    sim_path = os.environ['DSL_SIM']
    app_path = os.environ['DSL_APP']
    artifacts = os.environ.get('DSL_ARTIFACTS') or tempfile.mkdtemp()
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix='dsl-e2e-prefs.')
    env = e2elib.app_env(work)
    t = Tap()
    sim = app = None
    url = None
    sim_log = open(os.path.join(artifacts, 'e2e-prefs-sim.log'), 'w')
    app_log_path = os.path.join(artifacts, 'e2e-prefs-app.log')
    app_log = open(app_log_path, 'w')
    root = None

    def dump(name):
        path = os.path.join(artifacts, 'e2e-prefs-tree-%s.txt' % name)
        with open(path, 'w') as handle:
            handle.write('\n'.join(benchlib.dump_tree(root, limit=3000)))
        return 'accessibility tree: ' + path

    def shot(name):
        return benchlib.screenshot(os.path.join(artifacts, name))

    try:
        sim, url = benchlib.start_simulator(sim_path, sim_log)
        benchlib.seed_account(env, url)
        app, root = e2elib.start_app(tree, app_path, env, app_log)
        t.check('the app shows up in the accessibility tree', root is not None)

        portal_list = benchlib.tree_list(root, 30)
        if portal_list is None or benchlib.find_row(portal_list, 'Q3 report.docx', 30) is None:
            raise RuntimeError('no tree with "Q3 report.docx" (%s)' % dump('tree'))

        # --- Preferences: Ctrl+, ---
        benchlib.focus_row(portal_list, 'Q3 report.docx')
        rawinput.keyCombo('<Control>comma')
        prefs = wait_for(lambda: root.findChild(
            lambda n: plain(n.name) == 'Preferences' and n.roleName in ('frame', 'filler',
                                                                         'dialog', 'window'),
            recursive=False, retry=False, requireResult=False), 15)
        if prefs is None:
            raise RuntimeError('no Preferences window (%s)' % dump('preferences'))
        password = wait_for(lambda: find(prefs, 'Require a password', SWITCH_ROLES), 15)
        access = find(prefs, 'Access', ('combo box',))
        expiry = find(prefs, 'Expires after', ('combo box',))
        t.check('Ctrl+, opens Preferences with the "New Links" rows',
                password is not None and access is not None and expiry is not None,
                dump('preferences'))
        if password is None or expiry is None:
            raise RuntimeError('no Preferences window')
        t.check('"Require a password" is off at first', not is_on(password))
        press(password)
        t.check('turning it on writes default-password-required',
                wait_for(lambda: gsettings_get(env, 'default-password-required') == 'true', 10),
                gsettings_get(env, 'default-password-required'))

        # The expiry: a click opens the combo row's list (AT-SPI offers no action on it), a
        # click on "30 days" picks it.
        title = expiry.findChild(lambda n: n.roleName == 'label' and n.name == 'Expires after',
                                 retry=False, requireResult=False) or expiry
        title.click()
        choice = wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'label' and n.name == '30 days',
            retry=False, requireResult=False), 10)
        if choice is not None:
            choice.click()
        picked = wait_for(lambda: gsettings_get(env, 'default-expiry-preset') == "'30-days'",
                          10)
        t.check('picking "30 days" writes default-expiry-preset', picked,
                '%s; %s' % (gsettings_get(env, 'default-expiry-preset'), dump('expiry')))
        shot('preferences-new-links.png')
        rawinput.pressKey('Escape')   # the combo's list, if still open
        wait_for(lambda: False, 0.5)
        if find(root, 'Require a password', SWITCH_ROLES) is not None:
            rawinput.pressKey('Escape')
        closed = wait_for(lambda: find(root, 'Require a password', SWITCH_ROLES) is None, 10)
        t.check('Escape closes Preferences', closed, dump('closed'))

        # --- a new link starts with them ---
        add = button_in(root, 'Add Link')
        if add is None:
            raise RuntimeError('no "Add Link" (%s)' % dump('add'))
        start = len(benchlib.sim_requests(url))
        press(add)
        name = wait_for(lambda: find(root, 'Link name', ENTRY_ROLES), 10)
        if name is None:
            raise RuntimeError('the link editor did not open (%s)' % dump('editor'))
        required = wait_for(lambda: find(root, 'Require password', SWITCH_ROLES), 10)
        t.check('the new link\'s "Require password" is on', required is not None
                and is_on(required), dump('editor-password'))
        entry = find(root, 'Password', ENTRY_ROLES)
        t.check('its password field is empty', entry is not None
                and e2elib.text_of(entry) == '')
        expires = find(root, 'Expires', ('combo box',))
        t.check('"Expires" shows "30 days"', expires is not None
                and '30 days' in names_below(expires) + [plain(expires.name)],
                names_below(expires) if expires is not None else dump('expires'))
        save = button_in(root, 'Save')
        t.check('Save waits for a password', save is not None and not save.sensitive)
        shot('link-editor-password-required.png')
        rawinput.pressKey('Escape')
        gone = wait_for(lambda: find(root, 'Link name', ENTRY_ROLES) is None, 10)
        t.check('Escape closes the editor without sending anything', gone and not puts(
            benchlib.sim_requests(url)[start:], '/api/2.0/files/file/401/links'))

        status = e2elib.quit_app(app, rawinput, app_log, app_log_path, work)
        app = None
        t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)
    except Exception as error:  # a broken step fails the run, with what was found
        t.check('the scenario ran to the end', False, repr(error))
    finally:
        benchlib.stop(app)
        benchlib.stop(sim)
        if url is not None:
            benchlib.clear_secret(env, url)
        app_log.close()
        sim_log.close()

    app_output = e2elib.read_output(app_log_path)
    t.check('the API key never appears in the app\'s output',
            benchlib.OWNER_KEY not in app_output)
    criticals = e2elib.warnings_in(app_output)
    t.check('the app logged no warnings or criticals', not criticals, '\n'.join(criticals[:10]))
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
