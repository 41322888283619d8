#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: Preferences and checking temporary links in the background.

Starts docspace-sim, a fake notification daemon (notifyd.py) and the app signed in as Olivia
Owner with no typing. Then:
  - Ctrl+, opens Preferences; "Check every" changes "guard-interval"; turning "Keep checking in
    the background" on writes "background-checking" and puts the autostart entry
    ($XDG_CONFIG_HOME/autostart/<app id>.desktop, Exec=docspace-links --background) in place;
  - with it on, closing the window (Ctrl+W) leaves the application running;
  - `docspace-links --background` (what the autostart entry runs) opens no window, reads the
    owner's key from the keyring and revokes a guarded link that expired meanwhile, with a
    desktop notification;
  - turning the preference off removes the autostart entry, and `--background` then exits at
    once saying background checking is off.

Prints TAP. Needs a display and a session bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP, DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import datetime
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, dogtail, the app; puts tests/bench on the path)
from e2elib import benchlib, press, set_text, skip_all, wait_for  # noqa: E402
from test_links import api_links, find, plain, puts  # noqa: E402
from test_temp_links import api_create_link  # noqa: E402
import notifyd  # noqa: E402

APP_ID = 'io.github.dslinks.DocSpaceLinks'
SWITCH_ROLES = ('toggle button', 'switch', 'check box')


def gsettings_get(env, key):
    quiet = {k: v for k, v in env.items() if k != 'G_MESSAGES_DEBUG'}
    output = subprocess.run(['gsettings', 'get', benchlib.SCHEMA_ID, key], env=quiet,
                            capture_output=True, text=True, timeout=30).stdout.strip()
    return output.splitlines()[-1] if output else ''


def gsettings_set(env, key, value):
    subprocess.run(['gsettings', 'set', benchlib.SCHEMA_ID, key, value], env=env, check=True,
                   timeout=30)


def portal_has_background():
    """Whether the session's xdg-desktop-portal offers org.freedesktop.portal.Background."""
    result = subprocess.run(['gdbus', 'introspect', '--session', '--dest',
                             'org.freedesktop.portal.Desktop', '--object-path',
                             '/org/freedesktop/portal/desktop'], capture_output=True, text=True,
                            timeout=30)
    return 'org.freedesktop.portal.Background' in result.stdout


def guard_expired_link(url, store_path, title):
    """A link on 401 the portal still holds, recorded in the app's store as a temporary link
    that expired five minutes ago (as if it expired while nothing was running). The guard
    revokes only what the portal says has expired, and the portal takes no date in the past:
    the link expires in two seconds, waited for here."""
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
    link = api_create_link(url, 'file', '401', title, soon)
    time.sleep(3.0)
    past = (datetime.datetime.now(datetime.timezone.utc)
            - datetime.timedelta(minutes=5)).replace(microsecond=0)
    try:
        with open(store_path) as handle:
            stored = json.load(handle)
    except FileNotFoundError:
        stored = {'format': 'docspace-links-guarded-links', 'version': 1, 'accounts': {}}
    account = '%s %s' % (benchlib.OWNER_ID, url)
    stored.setdefault('accounts', {}).setdefault(account, []).append({
        'linkId': link['id'], 'itemId': '401', 'itemKind': 'file', 'itemTitle': 'Q3 report.docx',
        'shareLink': link['shareLink'], 'downloadLimit': 0,
        'created': (past - datetime.timedelta(hours=1)).isoformat(),
        'expires': past.isoformat(), 'state': 'active', 'downloads': -1})
    os.makedirs(os.path.dirname(store_path), exist_ok=True)
    with open(store_path, 'w') as handle:
        json.dump(stored, handle)
    return link


def main():
    s = e2elib.Scenario('background', 0.2)
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, rawinput, tree, env, dump = s.t, s.rawinput, s.tree, s.env, s.dump
    env['XDG_DATA_HOME'] = os.path.join(s.work, 'data')
    store_path = os.path.join(env['XDG_DATA_HOME'], 'docspace-links', 'guarded-links.json')
    sandboxed = bool(os.environ.get('DSL_E2E_APP'))
    if sandboxed:
        # In Flatpak the Background portal writes the entry, in the session's own autostart
        # folder, to run the app through flatpak (build-aux/flatpak-check.sh grants it).
        autostart = os.path.join(os.environ['XDG_CONFIG_HOME'], 'autostart',
                                 APP_ID + '.desktop')
    else:
        autostart = os.path.join(env['XDG_CONFIG_HOME'], 'autostart', APP_ID + '.desktop')
    notify_log = os.path.join(s.work, 'notifications.jsonl')
    root = None

    def windows():
        try:
            return [n for n in root.children if n.roleName in ('frame', 'filler', 'dialog')]
        except Exception:
            return []

    with s:
        daemon = notifyd.start(notify_log)
        s.on_exit(lambda: notifyd.stop(daemon))
        url = s.start_simulator()
        s.seed_account()
        root = s.start_app()
        app = s.app
        benchlib.tree_list(root, 30)
        t.check('the app shows up signed in', root is not None and
                benchlib.find_row(benchlib.tree_list(root, 30), 'Notes.txt', 30) is not None)

        # --- Preferences ---
        rawinput.keyCombo('<Control>comma')
        prefs = wait_for(lambda: root.findChild(
            lambda n: plain(n.name) == 'Preferences' and n.roleName in ('frame', 'filler',
                                                                       'dialog'),
            recursive=False, retry=False, requireResult=False), 15)
        t.check('Ctrl+, opens Preferences', prefs is not None, dump('prefs'))
        if prefs is None:
            raise RuntimeError('no Preferences window')
        interval = wait_for(lambda: find(prefs, 'Check every', ('spin button', 'text',
                                                                'entry')), 10)
        set_text(interval, '17')
        switch = find(prefs, 'Keep checking in the background', SWITCH_ROLES)
        t.check('"Keep checking in the background" is off by default',
                switch is not None and gsettings_get(env, 'background-checking') == 'false',
                gsettings_get(env, 'background-checking'))
        press(switch)
        t.check('turning it on sets background-checking',
                wait_for(lambda: gsettings_get(env, 'background-checking') == 'true', 10))
        no_portal = sandboxed and not portal_has_background()
        if no_portal:
            # The portal writes the entry through its desktop's backend (GNOME Shell's, or
            # xdg-desktop-portal-gnome's); a session without one offers no Background portal.
            reason = 'this session\'s xdg-desktop-portal offers no Background portal'
            t.skip('and puts the autostart entry in place', reason)
            t.skip('the entry runs docspace-links --background', reason)
        else:
            t.check('and puts the autostart entry in place',
                    wait_for(lambda: os.path.exists(autostart), 10), autostart)
        entry = open(autostart).read() if os.path.exists(autostart) else ''
        exec_line = [line[5:].split() for line in entry.splitlines()
                     if line.startswith('Exec=')]
        exec_line = exec_line[0] if exec_line else []
        if sandboxed:
            runs = (exec_line[:2] == ['flatpak', 'run'] and APP_ID in exec_line
                    and '--command=docspace-links' in exec_line
                    and exec_line[-1] == '--background')
        else:
            runs = exec_line == ['docspace-links', '--background']
        if not no_portal:
            t.check('the entry runs docspace-links --background',
                    runs and 'Type=Application' in entry, entry)
        rawinput.pressKey('Escape')
        t.check('"Check every" as typed sets guard-interval when Preferences closes',
                wait_for(lambda: gsettings_get(env, 'guard-interval') == 'uint32 17', 10),
                gsettings_get(env, 'guard-interval'))
        time.sleep(1.0)

        # --- closing the window leaves the application running ---
        rawinput.keyCombo('<Control>w')
        closed = wait_for(lambda: not windows(), 15)
        time.sleep(2.0)
        t.check('Ctrl+W closes the window', bool(closed), dump('closed'))
        t.check('the application keeps running without a window', app.poll() is None)

        # --- --background: a guarded link that expired meanwhile ---
        link = guard_expired_link(url, store_path, 'Expired in the background')
        # app.quit over D-Bus (no window for Ctrl+Q): a signal to `flatpak run` would not end
        # the sandboxed app, which the next start would then join.
        subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID, '--object-path',
                        '/' + APP_ID.replace('.', '/'), '--method', 'org.gtk.Actions.Activate',
                        'quit', '[]', '{}'], capture_output=True, timeout=30)
        try:
            app.wait(30)
        except subprocess.TimeoutExpired:
            app.terminate()
            app.wait(30)
        start = len(benchlib.sim_requests(url))
        app = s.app = subprocess.Popen([s.app_path, '--background'], env=env,
                                       stdin=subprocess.DEVNULL, stdout=s.app_log,
                                       stderr=subprocess.STDOUT)
        sent = wait_for(lambda: puts(benchlib.sim_requests(url)[start:],
                                     '/api/2.0/files/file/401/links'), 30)
        t.check('--background revoked the expired guarded link (access 0)',
                bool(sent) and sent[0]['body'].get('linkId') == link['id']
                and sent[0]['body'].get('access') == 0 and 'internal' in sent[0]['body'], sent)
        t.check('it is gone from the portal',
                link['id'] not in [l['id'] for l in api_links(url, 'file', '401')])
        notes = notifyd.wait_for(notify_log, lambda ns: any(
            'Q3 report.docx' in n.get('body', '') for n in ns), 20)
        t.check('a desktop notification says so', bool(notes), notifyd.notifications(notify_log))
        time.sleep(1.0)
        root = s.root = tree.root.findChild(lambda n: n.roleName == 'application'
                                   and n.name == 'docspace-links', recursive=False,
                                   retry=False, requireResult=False)
        t.check('--background opened no window', root is None or not windows(),
                dump('background') if root is not None else '')
        t.check('and keeps running', app.poll() is None)

        # --- turning it off (from a second start, which opens a window in the same process) ---
        gsettings_set(env, 'background-checking', 'false')
        if no_portal:
            t.skip('turning it off removes the autostart entry', reason)
        else:
            t.check('turning it off removes the autostart entry',
                    wait_for(lambda: not os.path.exists(autostart), 10), autostart)
        try:
            status = app.wait(30)
        except subprocess.TimeoutExpired:
            status = None
        t.check('without a window, the application then exits', status == 0,
                'exit status %s' % status)
        app = s.app = None
        result = subprocess.run([s.app_path, '--background'], env=env, capture_output=True,
                                text=True, timeout=60)
        t.check('--background with the preference off exits at once, saying why',
                result.returncode == 0 and 'Background checking is turned off'
                in result.stderr, (result.returncode, result.stderr))
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
