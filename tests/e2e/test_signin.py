#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: signing in and the accounts, as a person would, through the accessibility tree.

Starts docspace-sim and docspace-links --portal URL (GSettings in a keyfile of a private config
directory, so a restart sees what the first run saved; the keyring is the session's), then with
dogtail:
  1. each sign-in error shows its sentence in the label right after the field that caused it,
     and keeps what was typed: an unreachable host (a closed loopback port), http:// to a host
     that is not this computer, something that is not a portal (a loopback HTTP server), a wrong,
     an expired and a read-only key, a wrong password, too many attempts (the 6th after 5 wrong),
     a disabled account, an account that must set up two-factor first (with the link);
  2. email + password + two-factor code (a wrong code first), then Add Account… with an API key;
     the header names who is signed in, the account menu lists both and switches between them;
  3. the secrets are in the keyring (secret-tool lookup) and nowhere in the app's config, data,
     cache or state directories; a restart opens the last account with no typing;
  4. a key revoked mid-session (simulator fault revoke-after=0, then F5) brings back sign-in with
     the message and the portal filled in; after signing in again the selection is restored;
  5. Sign Out deletes the secret; Ctrl+Q quits cleanly; no key in the app's output, no warnings.
Screenshots go to DSL_ARTIFACTS (the build dir's tests/artifacts/).

Prints TAP. Needs a display and an accessibility bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP (executables), DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, dogtail, the app; puts tests/bench on the path)
from e2elib import (ENTRY_ROLES, benchlib, press, set_text, skip_all,  # noqa: E402
                    text_of, wait_for)

SCHEMA = 'io.github.dslinks.DocSpaceLinks'
OWNER_KEY = 'sk-demo-owner'
OWNER_ID = 'a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01'
OWNER_NAME = 'Olivia Owner'
TFA_ID = 'a7b3c1d2-0004-4c5e-9f10-5a6b7c8d9e04'
TFA_NAME = 'Tara Twofactor'
WRONG_KEY = 'sk-this-key-does-not-exist'
KEYS = [OWNER_KEY, WRONG_KEY, 'sk-demo-expired', 'sk-demo-readonly']


class NotAPortal(http.server.BaseHTTPRequestHandler):
    """A web server that is not DocSpace: an HTML page for every GET, 501 for the rest."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = b'<html><body>Just a web server</body></html>'
        self.send_response(200)
        self.send_header('Content-Type', 'text/html')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def closed_port():
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def set_faults(url, profile):
    request = urllib.request.Request(url + '/__sim/faults', method='POST',
                                     data=json.dumps({'profile': profile}).encode(),
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def secret_lookup(env, url, user):
    """What `secret-tool lookup` prints for the app's item of `user` on `url` ('' when none)."""
    quiet = dict(env)
    quiet.pop('G_MESSAGES_DEBUG', None)   # GLib writes debug messages to stdout
    result = subprocess.run(['secret-tool', 'lookup', 'xdg:schema', SCHEMA, 'portal', url,
                             'user', user], env=quiet, capture_output=True, text=True, timeout=30)
    return result.stdout


def files_containing(directories, needles, skip=('keyrings',)):
    """Files under `directories` holding any of `needles` (the keyring's own files skipped)."""
    found = []
    for directory in directories:
        for base, dirs, files in os.walk(directory):
            dirs[:] = [d for d in dirs if d not in skip]
            for name in files:
                path = os.path.join(base, name)
                try:
                    with open(path, 'rb') as handle:
                        data = handle.read()
                except OSError:
                    continue
                if any(n.encode() in data for n in needles):
                    found.append(path)
    return found


def length_of(node):
    return node.queryText().characterCount


def showing(parent, name, roles=None):
    """The node named `name` below `parent`, or None. GTK 4.8 sets no "showing" state on
    entries, buttons and labels; the window keeps what is not shown hidden (not visible), and
    hidden widgets are not in the accessibility tree."""
    return parent.findChild(lambda n: n.name == name and (roles is None or n.roleName in roles),
                            retry=False, requireResult=False)


def entry(root, name):
    """The entry named `name`."""
    node = wait_for(lambda: showing(root, name, ENTRY_ROLES), 20)
    if node is None:
        raise RuntimeError('no entry "%s" showing:\n%s'
                           % (name, '\n'.join(benchlib.dump_tree(root, limit=120))))
    return node


def button(root, name):
    """The button named `name`; for a GtkMenuButton, the button inside it."""
    node = wait_for(lambda: root.findChild(
        lambda n: n.name == name and n.roleName in ('push button', 'toggle button')
        and not any(c.roleName == 'push button' for c in n.children),
        retry=False, requireResult=False), 20)
    if node is None:
        raise RuntimeError('no button "%s" showing' % name)
    return node


def label_after(field):
    """The label right after `field` in its box: where the field's error is shown."""
    parent = field.parent
    index = field.indexInParent
    if parent is None or index + 1 >= parent.childCount:
        return None
    node = parent.getChildAtIndex(index + 1)
    if node is not None and node.roleName == 'label':
        return node
    return None


def error_after(field, words, timeout=20):
    """Waits until the label after `field` contains `words`; returns its text or None."""
    node = wait_for(lambda: (lambda l: l if l is not None and words in l.name else None)(
        label_after(field)), timeout)
    return node.name if node is not None else None


def sidebar_showing(root, tree_view, name):
    """What of `name` the item details show (None when nothing). GTK 4.8 names the details
    widget after its type, "DslItemDetails"; GTK 4.18 gives it no name: then a label `name`
    that is not one of the tree's rows does."""
    details = root.findChild(lambda n: n.name == 'DslItemDetails', retry=False,
                             requireResult=False)
    if details is not None:
        return showing(details, name)

    def labelled(n):
        return n.name == name and n.roleName == 'label'
    return (True if len(root.findChildren(labelled)) > len(tree_view.findChildren(labelled))
            else None)


def header_shows(root, name, timeout=30):
    return wait_for(lambda: showing(root, name, ('label',)), timeout)


def account_menu_item(root, name):
    """Opens the account menu and returns its showing item `name` (None if it is not there)."""
    press(button(root, 'Account'))
    return wait_for(lambda: showing(root, name, ('menu item', 'check menu item',
                                                 'radio menu item')), 10)


def main():
    s = e2elib.Scenario('signin', 0.2, displays=('DISPLAY', 'WAYLAND_DISPLAY'))
    if s.skip_reason:
        return skip_all(s.skip_reason)
    if shutil.which('secret-tool') is None:
        return skip_all('secret-tool is missing (libsecret-tools)')
    t, rawinput, artifacts, env = s.t, s.rawinput, s.artifacts, s.env
    web = None

    def shot(name):
        return benchlib.screenshot(os.path.join(artifacts, name))

    with s:
        url = s.start_simulator()
        host = url.split('://', 1)[1]
        web = http.server.ThreadingHTTPServer(('127.0.0.1', 0), NotAPortal)
        s.on_exit(web.server_close)
        s.on_exit(web.shutdown)
        threading.Thread(target=web.serve_forever, daemon=True).start()
        web_url = 'http://127.0.0.1:%d' % web.server_address[1]

        root = s.start_app('--portal', url)
        t.check('the app shows up in the accessibility tree', root is not None)

        # --- 1. API-key errors: each under its field, nothing typed lost ---
        portal = entry(root, 'Portal address')
        t.check('the portal address is prefilled from --portal', text_of(portal) == url,
                'portal entry holds %r' % text_of(portal))
        key = entry(root, 'API key')
        sign_in = button(root, 'Sign In')

        def try_key(address, secret, field, words, name):
            set_text(portal, address)
            set_text(key, secret)
            press(sign_in)
            message = error_after(portal if field == 'portal' else key, words)
            t.check('%s: "%s…" under the %s field' % (name, words, field), message is not None,
                    'after the %s field: %r\n%s' % (field, getattr(label_after(
                        portal if field == 'portal' else key), 'name', None),
                        '\n'.join(benchlib.dump_tree(root, limit=80))))
            t.check('%s: the address and the key are kept' % name,
                    text_of(portal) == address and length_of(key) == len(secret),
                    'portal %r, key of %d characters' % (text_of(portal), length_of(key)))
            return message

        closed = 'http://127.0.0.1:%d' % closed_port()
        try_key(closed, OWNER_KEY, 'portal', 'cannot be reached', 'an unreachable host')
        try_key('http://example.com', OWNER_KEY, 'portal', 'http://', 'http:// to another host')
        try_key(web_url, OWNER_KEY, 'portal', 'does not look like an ONLYOFFICE DocSpace',
                'a web server that is not a portal')
        try_key(url, WRONG_KEY, 'key', 'wrong, expired or revoked', 'a wrong key')
        shot('e2e-signin-wrong-key.png')
        try_key(url, 'sk-demo-expired', 'key', 'expired', 'an expired key')
        try_key(url, 'sk-demo-readonly', 'key', 'rooms:read', 'a key without rooms:read')
        requests = benchlib.sim_requests(url)
        t.check('the read-only key was refused after asking the portal',
                any(r['path'].endswith('people/@self') and r['status'] == 403 for r in requests))

        # --- 1b. Email and password errors ---
        press(button(root, 'Email and Password'))
        email = entry(root, 'Email')
        password = entry(root, 'Password')
        t.check('"Email and Password" shows the fields "Email" and "Password"',
                email is not None and password is not None)

        def try_password(address, password_text, words, name, field=None):
            before = len([r for r in benchlib.sim_requests(url)
                          if r['path'].startswith('/api/2.0/authentication')])
            set_text(email, address)
            set_text(password, password_text)
            press(sign_in)
            wait_for(lambda: len([r for r in benchlib.sim_requests(url)
                                  if r['path'].startswith('/api/2.0/authentication')]) > before,
                     20)
            time.sleep(0.3)
            message = error_after(field or password, words) if words else None
            if words:
                t.check('%s: "%s…" under the password' % (name, words), message is not None,
                        'after the password: %r' % getattr(label_after(field or password),
                                                           'name', None))
                t.check('%s: the email and password are kept' % name,
                        text_of(email) == address and length_of(password) == len(password_text))
            return message

        set_text(portal, url)
        try_password('owner@example.com', 'not the password', 'password is wrong',
                     'a wrong password')
        for _ in range(4):
            try_password('user@example.com', 'wrong again', None, None)
        try_password('user@example.com', 'wrong again', 'password is wrong',
                     'the 5th wrong password')
        try_password('user@example.com', 'wrong again', 'Too many',
                     'the 6th attempt after 5 wrong')
        shot('e2e-signin-too-many.png')
        try_password('disabled@example.com', 'DemoDisabled1!', 'disabled', 'a disabled account')
        message = try_password('tfasetup@example.com', 'DemoTfa1!', 'two-factor',
                               'two-factor setup required')
        t.check('the two-factor setup message shows the confirm link', message is not None
                and 'http' in message and 'confirm' in message.lower(), repr(message))
        shot('e2e-signin-tfa-setup.png')

        # --- 2. Email + password + two-factor code ---
        set_text(email, 'tfa@example.com')
        set_text(password, 'DemoTfa1!')
        press(sign_in)
        code = entry(root, 'Two-factor code')
        verify = button(root, 'Verify')
        t.check('the two-factor step asks for "Two-factor code" with "Verify"',
                code is not None and verify is not None)
        set_text(code, '000000')
        press(verify)
        t.check('a wrong code: the message under the code',
                error_after(code, 'code is wrong') is not None,
                'after the code: %r' % getattr(label_after(code), 'name', None))
        t.check('a wrong code: the code is kept', text_of(code) == '000000')
        shot('e2e-signin-code.png')
        set_text(code, '123456')
        press(verify)
        t.check('email + password + code: the header shows "%s"' % TFA_NAME,
                header_shows(root, TFA_NAME) is not None)
        t.check('the header shows the portal "%s"' % host, header_shows(root, host) is not None)
        # Storing the secret is asynchronous: the header may show before the keyring has it.
        wait_for(lambda: secret_lookup(env, url, TFA_ID) != '', 10)
        token = secret_lookup(env, url, TFA_ID)
        t.check('the session token (not the password) is in the keyring',
                token != '' and not token.startswith('sk-') and 'DemoTfa1!' not in token)

        # --- 2b. Add Account… with an API key ---
        item = account_menu_item(root, 'Add Account…')
        t.check('the account menu has "Add Account…"', item is not None)
        press(item)
        key = entry(root, 'API key')
        portal = entry(root, 'Portal address')
        t.check('"Add Account…" offers Cancel back to the current account',
                wait_for(lambda: showing(root, 'Cancel', ('push button',)), 10) is not None)
        set_text(portal, url + '/some/page/')   # normalised to the portal's origin
        set_text(key, OWNER_KEY)
        press(button(root, 'Sign In'))
        t.check('the API key: the header shows "%s"' % OWNER_NAME,
                header_shows(root, OWNER_NAME) is not None)
        rooms = wait_for(lambda: showing(root, 'Marketing'), 30)
        t.check('the tree lists the room "Marketing"', rooms is not None)
        signed_in = shot('e2e-signin-signed-in.png')
        t.check('the screenshot shows a drawn window', benchlib.colour_count(signed_in) > 16)
        # Stored asynchronously, right after the window showed.
        stored = wait_for(lambda: secret_lookup(env, url, OWNER_ID) == OWNER_KEY, 10)
        t.check('the key is in the keyring (secret-tool lookup prints it)', stored,
                'secret-tool lookup printed %d characters'
                % len(secret_lookup(env, url, OWNER_ID)))

        owner_item = account_menu_item(root, '%s (%s)' % (OWNER_NAME, host))
        tara_item = showing(root, '%s (%s)' % (TFA_NAME, host))
        t.check('the account menu lists both accounts', owner_item is not None
                and tara_item is not None)
        shot('e2e-signin-account-menu.png')
        if tara_item is not None:
            press(tara_item)
            t.check('one click in the menu switches to "%s"' % TFA_NAME,
                    header_shows(root, TFA_NAME) is not None)
            back = account_menu_item(root, '%s (%s)' % (OWNER_NAME, host))
            press(back)
            t.check('and back to "%s"' % OWNER_NAME, header_shows(root, OWNER_NAME) is not None)
        wait_for(lambda: showing(root, 'Marketing'), 30)

        # --- 3. Nowhere on disk but in the keyring; a restart needs no typing ---
        t.check('Ctrl+Q quits the app cleanly', s.quit_app() == 0)
        places = [env['XDG_CONFIG_HOME']] + [os.environ.get(v) for v in (
            'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME')
            if os.environ.get(v)] + [os.environ.get('HOME', '')]
        leaks = files_containing(set(p for p in places if p), [OWNER_KEY, token or 'no token'])
        t.check('no secret in the app\'s config, data, cache or state files', not leaks,
                '\n'.join(leaks))
        keyfile = os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')
        try:
            with open(keyfile) as handle:
                saved = handle.read()
        except OSError:
            saved = ''
        t.check('the accounts are in GSettings (portal, user, name)', OWNER_ID in saved
                and TFA_ID in saved, saved)

        root = s.start_app()
        t.check('a restart opens "%s" with no typing' % OWNER_NAME,
                header_shows(root, OWNER_NAME) is not None)
        rooms = wait_for(lambda: showing(root, 'Marketing'), 30)
        t.check('... and the tree lists "Marketing"', rooms is not None)
        shot('e2e-signin-restart.png')

        # --- 4. Revoked mid-session; the selection comes back ---
        # Expanded from the keyboard (benchlib.expand_row's AT-SPI action would leak, see press).
        tree_view = benchlib.tree_list(root, 20)
        marketing = benchlib.find_row(tree_view, 'Marketing', 20)
        (showing(marketing, 'Marketing', ('label',)) or marketing).click()
        for keys in ('Right', '<Shift>Right', 'plus'):
            rawinput.keyCombo(keys)
            if wait_for(lambda: benchlib.find_row(tree_view, 'Campaigns', 0.1), 5):
                break
        campaigns = benchlib.find_row(tree_view, 'Campaigns', 10)
        (showing(campaigns, 'Campaigns') or campaigns).click()
        t.check('selecting "Campaigns" shows it in the sidebar', wait_for(
            lambda: sidebar_showing(root, tree_view, 'Campaigns'), 10) is not None)
        set_faults(url, 'revoke-after=0')
        rawinput.pressKey('F5')
        notice = wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'label' and 'no longer accepted' in n.name,
            retry=False, requireResult=False), 30)
        t.check('a key revoked mid-session brings back sign-in with the message',
                notice is not None and host in notice.name,
                getattr(notice, 'name', '\n'.join(benchlib.dump_tree(root, limit=80))))
        shot('e2e-signin-revoked.png')
        portal = entry(root, 'Portal address')
        t.check('... with the portal filled in', text_of(portal) == url, text_of(portal))
        set_faults(url, 'none')
        set_text(entry(root, 'API key'), OWNER_KEY)
        press(button(root, 'Sign In'))
        t.check('signing in again shows "%s"' % OWNER_NAME,
                header_shows(root, OWNER_NAME) is not None)
        # The tree starts collapsed with the new client: "Campaigns" shows only when the
        # restore expanded "Marketing" to select it.
        tree_view = benchlib.tree_list(root, 20)
        row = benchlib.find_row(tree_view, 'Campaigns', 30)
        restored = wait_for(lambda: sidebar_showing(root, tree_view, 'Campaigns'), 10)
        t.check('... and the selection ("Campaigns") is restored', row is not None
                and restored is not None and (row.selected or row.focused or True),
                'row %r, sidebar %r' % (row, restored))
        t.check('... the restored row is the selected one', row is not None and row.selected,
                'states: %s' % (row.getState().getStates() if row is not None else None))
        shot('e2e-signin-restored.png')

        # --- 4b. A second start with --portal reaches the open window (single instance) ---
        other = 'http://127.0.0.1:%d' % closed_port()
        second = subprocess.run([s.app_path, '--portal', other], env=env, timeout=60,
                                stdin=subprocess.DEVNULL, stdout=s.app_log,
                                stderr=subprocess.STDOUT)
        t.check('a second start with --portal hands over and exits', second.returncode == 0,
                'exit status %s' % second.returncode)
        field = wait_for(lambda: showing(root, 'Portal address', ENTRY_ROLES), 20)
        t.check('... the open window shows the sign-in page for that portal',
                field is not None and text_of(field) == other,
                'portal entry: %r' % (text_of(field) if field is not None else None))
        press(button(root, 'Cancel'))
        t.check('... and Cancel goes back to "%s"' % OWNER_NAME,
                header_shows(root, OWNER_NAME) is not None)
        second = subprocess.run([s.app_path, url], env=env, timeout=60,
                                stdin=subprocess.DEVNULL, stdout=s.app_log,
                                stderr=subprocess.STDOUT)
        t.check('a second start with the signed-in portal as argument keeps the account shown',
                second.returncode == 0 and header_shows(root, OWNER_NAME) is not None
                and showing(root, 'API key', ENTRY_ROLES) is None)

        # --- 5. Sign Out ---
        item = account_menu_item(root, 'Sign Out')
        press(item, vanishes=True)
        t.check('Sign Out shows the sign-in page', wait_for(
            lambda: showing(root, 'API key', ENTRY_ROLES), 20) is not None)
        gone = wait_for(lambda: secret_lookup(env, url, OWNER_ID) == '', 10)
        t.check('Sign Out deletes the secret from the keyring', gone,
                'secret-tool lookup still prints %d characters'
                % len(secret_lookup(env, url, OWNER_ID)))
        t.check('... and not the other account\'s', secret_lookup(env, url, TFA_ID) != '')
        shot('e2e-signin-signed-out.png')
        t.check('Ctrl+Q quits the app cleanly after signing out', s.quit_app() == 0)
    return s.finish(secrets=KEYS + ['DemoTfa1!', 'not the password'])


if __name__ == '__main__':
    sys.exit(main())
