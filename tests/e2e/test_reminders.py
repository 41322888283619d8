#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: expiry reminders (issue 5) from the real app against docspace-sim, caught by
tests/e2e/notifyd.py (a fake org.freedesktop.Notifications: GLib 2.74 uses its fdo backend when
org.gtk.Notifications is not owned).

Through the simulator's API (Olivia's key) two links are made that expire within 24 hours:
"Reminder A" on 402 "Notes.txt" (in 12 hours), "Reminder B" on 302 "Budget.xlsx" (in 20
hours, with a password) and "Reminder C" on 301 "Launch plan.docx" (in 10 hours), which is also
written into the guard store as a temporary link (so two sources know it), and "Reminder D"
on 502 "Draft.docx" (in 6 hours), deleted on the portal before its Extend is pressed, and
"Reminder E" on 303 "Brand guide.pdf" (in 8 hours), extended by a second administrator before
its Extend is pressed. The seed links that expire in 3 days ("Download blocked") or expired
2 days ago ("Old preview") must not be reminded of. Then, with the app signed in from the
keyring (no typing, no dogtail):
  - the link checkup starts by itself (no last checkup; DSL_REMINDER_SCAN_DELAY=1 instead of
    2 minutes after sign-in) and exactly one notification per due
    link is sent, naming the item, with the expiry in its body and the buttons "Extend 7 Days"
    and "Copy Link";
  - "Copy Link" on A: `xclip -selection clipboard -o` prints A's share URL;
  - "Extend 7 Days" on B, after a second administrator changed B's password (the simulator's
    control API): the simulator got one PUT for B with its current state (the new password),
    and B now expires exactly 7 days after its old expiry, title and the new password kept;
    a notification says "…was extended" and the new date;
  - "Extend 7 Days" on C moves its expiry on the simulator and in the guard store;
  - "Extend 7 Days" on D (deleted meanwhile) sends no PUT and a notification says it was
    removed by someone else;
  - "Extend 7 Days" on E (extended by someone else meanwhile) sends no PUT, the simulator keeps
    the other administrator's date, and a notification says so with both dates;
  - the reminders file (XDG_DATA_HOME/docspace-links/reminders-*.json) is 0600 and holds no
    key; after a restart with its last-checkup time removed the checkup runs again (links
    listed) and no reminder is sent again (A is still due, B is not any more);
  - a restart within 6 hours of the last checkup does not start it again;
  - app.quit (over D-Bus) ends the app with status 0 each time.

Prints TAP. Needs a display and a session bus: build-aux/test-session.sh provides both.
Environment: DSL_SIM, DSL_APP (executables), DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import datetime
import glob
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, the app's environment; puts tests/bench on the path)
from e2elib import Tap, benchlib, skip_all  # noqa: E402
import notifyd  # noqa: E402

APP_ID = 'io.github.dslinks.DocSpaceLinks'
KEY = benchlib.OWNER_KEY


def api(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={'Authorization': 'Bearer ' + KEY,
                                              'Content-Type': 'application/json',
                                              'Accept': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def iso(dt):
    return dt.strftime('%Y-%m-%dT%H:%M:%SZ')


def parse(text):
    return datetime.datetime.fromisoformat(text[:19] + text[27:] if len(text) > 27
                                           and text[19] == '.' else text)


def link_of(url, file_id, link_id):
    for entry in api(url, 'GET', '/api/2.0/files/file/%s/links' % file_id)['response']:
        shared = entry.get('sharedLink') or {}
        if shared.get('id') == link_id:
            return shared
    return None


def both_dates(text, seen, now):
    """"you saw <date>, it is now <date>." with the two dates' day and year (the app writes them
    in words, e.g. "Thursday, 10 December 2026, 16:53 (UTC+03:00)")."""
    match = re.search(r'you saw (.+), it is now (.+)\.', text)
    if match is None:
        return False

    def names(part, date):
        return (' %d ' % date.day in ' ' + part) and str(date.year) in part
    return match.group(1) != match.group(2) and names(match.group(1), seen) \
        and names(match.group(2), now)


def quit_app(process):
    """app.quit through the application's org.gtk.Actions, as Ctrl+Q would."""
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    path = '/' + APP_ID.replace('.', '/')
    try:
        bus.call_sync(APP_ID, path, 'org.gtk.Actions', 'Activate',
                      GLib.Variant('(sava{sv})', ('quit', [], {})), None,
                      Gio.DBusCallFlags.NONE, 5000, None)
    except GLib.Error as error:
        e2elib.TAP.write('# app.quit: %s\n' % error.message)
    try:
        return process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def wait_registered(timeout=30):
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def owned():
        answer = bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                               'org.freedesktop.DBus', 'NameHasOwner',
                               GLib.Variant('(s)', (APP_ID,)), None,
                               Gio.DBusCallFlags.NONE, 5000, None)
        return answer.unpack()[0]
    return benchlib.wait_for(owned, timeout, 0.2)


def links_listed(url, since):
    return [r for r in benchlib.sim_requests(url)[since:]
            if r.get('method') == 'GET' and r.get('path', '').endswith('/links')]


def clipboard():
    try:
        return subprocess.run(['xclip', '-selection', 'clipboard', '-o'], capture_output=True,
                              text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None


def main():
    missing = e2elib.missing_session()
    if missing:
        return skip_all(missing)

    sim_path = os.environ['DSL_SIM']
    app_path = os.environ['DSL_APP']
    artifacts = os.environ.get('DSL_ARTIFACTS') or tempfile.mkdtemp()
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix='dsl-e2e-remind.')
    env = e2elib.app_env(work)
    env['XDG_DATA_HOME'] = os.path.join(work, 'data')
    env['NO_AT_BRIDGE'] = '1'     # no dogtail here
    env['DSL_REMINDER_SCAN_DELAY'] = '1'   # not the 2 minutes after sign-in
    notify_log = os.path.join(artifacts, 'e2e-reminders-notifications.log')
    if os.path.exists(notify_log):
        os.remove(notify_log)
    t = Tap()
    sim = app = daemon = None
    sim_log = open(os.path.join(artifacts, 'e2e-reminders-sim.log'), 'w')
    app_log_path = os.path.join(artifacts, 'e2e-reminders-app.log')
    app_log = open(app_log_path, 'w')

    def start_app():
        process = subprocess.Popen([app_path], env=env, stdin=subprocess.DEVNULL,
                                   stdout=app_log, stderr=subprocess.STDOUT)
        if not wait_registered():
            raise RuntimeError('the app did not register on the session bus')
        return process

    try:
        sim, url = benchlib.start_simulator(sim_path, sim_log)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        a = api(url, 'PUT', '/api/2.0/files/file/402/links',
                {'access': 2, 'title': 'Reminder A',
                 'expirationDate': iso(now + datetime.timedelta(hours=12))})['response']
        b = api(url, 'PUT', '/api/2.0/files/file/302/links',
                {'access': 2, 'title': 'Reminder B', 'password': 'Remind3r-pass',
                 'expirationDate': iso(now + datetime.timedelta(hours=20))})['response']
        c = api(url, 'PUT', '/api/2.0/files/file/301/links',
                {'access': 2, 'title': 'Reminder C',
                 'expirationDate': iso(now + datetime.timedelta(hours=10))})['response']
        d = api(url, 'PUT', '/api/2.0/files/file/502/links',
                {'access': 2, 'title': 'Reminder D',
                 'expirationDate': iso(now + datetime.timedelta(hours=6))})['response']
        e = api(url, 'PUT', '/api/2.0/files/file/303/links',
                {'access': 2, 'title': 'Reminder E',
                 'expirationDate': iso(now + datetime.timedelta(hours=8))})['response']
        d_id = d['sharedLink']['id']
        e_id = e['sharedLink']['id']
        e_expiry = parse(e['sharedLink']['expirationDate'])
        a_id, b_id = a['sharedLink']['id'], b['sharedLink']['id']
        c_id = c['sharedLink']['id']
        c_expiry = parse(c['sharedLink']['expirationDate'])
        # C is also one of the app's temporary links (a download limit of 5): the guard store
        # knows it as well as the checkup, and it must still be reminded of once.
        guard_path = os.path.join(env['XDG_DATA_HOME'], 'docspace-links', 'guarded-links.json')
        os.makedirs(os.path.dirname(guard_path), exist_ok=True)
        with open(guard_path, 'w') as handle:
            json.dump({'format': 'docspace-links-guarded-links', 'version': 1, 'accounts': {
                '%s %s' % (benchlib.OWNER_ID, url): [{
                    'linkId': c_id, 'itemId': '301', 'itemKind': 'file',
                    'itemTitle': 'Launch plan.docx', 'shareLink': c['sharedLink']['shareLink'],
                    'downloadLimit': 5, 'created': iso(now),
                    'expires': c['sharedLink']['expirationDate'], 'state': 'active',
                    'downloads': -1}]}}, handle)
        os.chmod(guard_path, 0o600)
        a_url = a['sharedLink']['shareLink']
        b_expiry = parse(b['sharedLink']['expirationDate'])
        a_expiry = parse(a['sharedLink']['expirationDate'])
        t.check('the simulator made five links expiring within 24 hours',
                a_id and b_id and c_id and d_id and e_id and a_expiry > now)

        benchlib.seed_account(env, url)
        daemon = notifyd.start(notify_log)

        # --- first start: the checkup runs by itself, one reminder per due link ---
        start = len(benchlib.sim_requests(url))
        app = start_app()
        recs = notifyd.wait_for(notify_log, lambda r: len(r) >= 5, 90)
        t.check('five reminders are sent after the checkup', recs is not None,
                'notifications: %s' % notifyd.notifications(notify_log))
        t.check('the checkup listed links by itself', bool(links_listed(url, start)))
        time.sleep(3)   # anything more would come now
        recs = notifyd.notifications(notify_log)
        t.check('exactly five notifications (one per due link)', len(recs) == 5,
                json.dumps(recs, indent=1))
        by_item = {}
        for r in recs:
            for name in ('Notes.txt', 'Budget.xlsx', 'Launch plan.docx', 'Draft.docx',
                         'Brand guide.pdf'):
                if name in r['summary']:
                    by_item.setdefault(name, []).append(r)
        t.check('one reminder each names "Notes.txt", "Budget.xlsx", "Launch plan.docx", '
                '"Draft.docx", "Brand guide.pdf"',
                all(len(by_item.get(n, [])) == 1
                    for n in ('Notes.txt', 'Budget.xlsx', 'Launch plan.docx', 'Draft.docx',
                              'Brand guide.pdf')),
                [r['summary'] for r in recs])
        ra = (by_item.get('Notes.txt') or [None])[0]
        if ra is None:
            raise RuntimeError('no reminder for Notes.txt')
        labels = [label for _key, label in ra['actions']]
        t.check('the reminder has "Extend 7 Days" and "Copy Link"',
                'Extend 7 Days' in labels and 'Copy Link' in labels, ra['actions'])
        t.check('the reminder body says when it expires and names the link',
                'Expires' in ra['body'] and 'Reminder A' in ra['body'], ra['body'])
        t.check('no reminder for links expiring later or already expired',
                not any('Q3 report' in r['summary'] or 'Marketing' in r['summary']
                        for r in recs), [r['summary'] for r in recs])

        # --- Copy Link on A (a pressed button closes its notification, as on a desktop) ---
        copy_key = next(k for k, _l in ra['actions'] if k.startswith('app.copy-link'))
        notifyd.invoke(ra['id'], copy_key)
        copied = benchlib.wait_for(lambda: clipboard() == a_url, 10, 0.2)
        t.check('"Copy Link" puts the link on the clipboard', bool(copied),
                'clipboard %r, link %r' % (clipboard(), a_url))

        # --- Extend 7 Days on B, whose password a second administrator changed since the
        # checkup: the new password is kept (only the expiry is changed) ---
        benchlib.change_link(url, b_id, password='Changed-by-2nd')
        rb = by_item['Budget.xlsx'][0]
        start = len(benchlib.sim_requests(url))
        extend_key = next(k for k, _l in rb['actions'] if k.startswith('app.extend-link'))
        notifyd.invoke(rb['id'], extend_key)
        wanted = b_expiry + datetime.timedelta(days=7)

        def extended():
            link = link_of(url, 302, b_id)
            return link is not None and 'expirationDate' in link and \
                parse(link['expirationDate']) == wanted
        t.check('"Extend 7 Days" moves the expiry on the simulator by exactly 7 days',
                bool(benchlib.wait_for(extended, 20, 0.3)),
                'wanted %s' % wanted)
        puts = [r for r in benchlib.sim_requests(url)[start:] if r.get('method') == 'PUT']
        t.check('one PUT with the current state (id, title, access, the new password)',
                len(puts) == 1 and puts[0]['body'].get('linkId') == b_id
                and puts[0]['body'].get('title') == 'Reminder B'
                and puts[0]['body'].get('access') == 2
                and puts[0]['body'].get('password') == 'Changed-by-2nd',
                [(p['path'], sorted(p['body'] or {})) for p in puts])
        kept = link_of(url, 302, b_id) or {}
        t.check('the extended link keeps its title and the password the other administrator '
                'set on the simulator',
                kept.get('title') == 'Reminder B' and kept.get('password') == 'Changed-by-2nd',
                sorted(kept))
        # The pressed reminder was closed by the daemon, so GLib sends the confirmation anew
        # (with the same GNotification id it would replace a reminder still shown).
        confirm = notifyd.wait_for(notify_log, lambda r: any(
            'Budget.xlsx' in x['summary'] and 'was extended' in x['summary']
            and 'now expires' in x['body'] for x in r), 10)
        t.check('a notification confirms "…was extended" with the new date', confirm is not None,
                [r['summary'] for r in notifyd.notifications(notify_log)])

        # --- Extend 7 Days on C, a temporary link: the guard's own expiry moves too ---
        rc = by_item['Launch plan.docx'][0]
        extend_key = next(k for k, _l in rc['actions'] if k.startswith('app.extend-link'))
        notifyd.invoke(rc['id'], extend_key)
        wanted_c = c_expiry + datetime.timedelta(days=7)

        def guard_moved():
            try:
                record = json.load(open(guard_path))['accounts']['%s %s' % (benchlib.OWNER_ID,
                                                                             url)][0]
            except (OSError, ValueError, KeyError, IndexError):
                return False
            return 'expires' in record and parse(record['expires']) == wanted_c \
                and record['state'] == 'active'
        t.check('"Extend 7 Days" on a temporary link moves its expiry on the simulator',
                bool(benchlib.wait_for(lambda: parse((link_of(url, 301, c_id) or {}).get(
                    'expirationDate', '1970-01-01T00:00:00Z')) == wanted_c, 20, 0.3)))
        t.check('... and in the guard store, so the guard does not revoke it at the old date',
                bool(benchlib.wait_for(guard_moved, 10, 0.3)), open(guard_path).read())

        # --- Extend 7 Days on D after it was deleted elsewhere: a notification says so ---
        benchlib.delete_link(url, d_id)
        rd = by_item['Draft.docx'][0]
        start = len(benchlib.sim_requests(url))
        extend_key = next(k for k, _l in rd['actions'] if k.startswith('app.extend-link'))
        notifyd.invoke(rd['id'], extend_key)
        failed = notifyd.wait_for(notify_log, lambda r: any(
            'Draft.docx' in x['summary'] and 'could not be extended' in x['summary']
            and 'removed by someone else' in x['body'] for x in r), 15)
        t.check('Extend of a link deleted meanwhile: a notification says it was removed by '
                'someone else',
                failed is not None, [(r['summary'], r['body'])
                                     for r in notifyd.notifications(notify_log)])
        t.check('... and nothing is sent to re-create it',
                not [r for r in benchlib.sim_requests(url)[start:] if r['method'] == 'PUT'])

        # --- Extend 7 Days on E after someone else extended it: asked about, not changed ---
        theirs = e_expiry + datetime.timedelta(days=3)
        benchlib.change_link(url, e_id,
                             expiration_date=iso(theirs.astimezone(datetime.timezone.utc)))
        re_ = by_item['Brand guide.pdf'][0]
        start = len(benchlib.sim_requests(url))
        extend_key = next(k for k, _l in re_['actions'] if k.startswith('app.extend-link'))
        notifyd.invoke(re_['id'], extend_key)
        conflict = notifyd.wait_for(notify_log, lambda r: any(
            'Brand guide.pdf' in x['summary'] and 'could not be extended' in x['summary']
            for x in r), 15)
        said = [x['body'] for x in (conflict or [])
                if 'Brand guide.pdf' in x['summary'] and 'could not be extended' in x['summary']]
        t.check('Extend of a link someone else extended meanwhile: the notification says so with '
                'both dates, and that nothing was changed',
                len(said) == 1 and 'Someone else changed when this link expires' in said[0]
                and both_dates(said[0], e_expiry, theirs)
                and 'Nothing was changed' in said[0],
                [(r['summary'], r['body']) for r in notifyd.notifications(notify_log)])
        t.check('... nothing is sent, and the simulator keeps the other administrator\'s date',
                not [r for r in benchlib.sim_requests(url)[start:] if r['method'] == 'PUT']
                and parse((link_of(url, 303, e_id) or {}).get(
                    'expirationDate', '1970-01-01T00:00:00Z')) == theirs,
                'wanted %s, simulator %s' % (theirs, (link_of(url, 303, e_id) or {}).get(
                    'expirationDate')))

        status = quit_app(app)
        app = None
        t.check('app.quit ends the app cleanly', status == 0, 'exit status %s' % status)

        files = glob.glob(os.path.join(env['XDG_DATA_HOME'], 'docspace-links', 'reminders-*.json'))
        t.check('one reminders file', len(files) == 1, files)
        text = open(files[0]).read() if files else ''
        mode = stat.S_IMODE(os.stat(files[0]).st_mode) if files else None
        t.check('the reminders file is 0600, lists both links, holds no key',
                mode == 0o600 and a_id in text and b_id in text and c_id in text
                and 'sk-demo' not in text
                and 'Remind3r' not in text, 'mode %s\n%s' % (oct(mode or 0), text))

        # --- restart, the checkup forced to run again: nothing is reminded twice ---
        data = json.loads(text)
        data.pop('last-scan', None)
        with open(files[0], 'w') as handle:
            json.dump(data, handle)
        count = len(notifyd.notifications(notify_log))
        start = len(benchlib.sim_requests(url))
        app = start_app()
        rescanned = benchlib.wait_for(
            lambda: 'last-scan' in json.load(open(files[0])), 90, 0.3)
        t.check('after a restart (no last checkup) the checkup runs again',
                bool(rescanned) and bool(links_listed(url, start)))
        time.sleep(3)
        again = notifyd.notifications(notify_log)[count:]
        t.check('no reminder is sent again after the restart', not again,
                json.dumps(again, indent=1))
        status = quit_app(app)
        app = None
        t.check('app.quit ends the app cleanly (2)', status == 0, 'exit status %s' % status)

        # --- restart within 6 hours: the checkup is not started ---
        start = len(benchlib.sim_requests(url))
        app = start_app()
        time.sleep(8)
        # (The guard's catch-up check lists the links of its own item, 301: not the checkup.)
        scanned = [r for r in links_listed(url, start)
                   if r['path'] != '/api/2.0/files/file/301/links']
        t.check('a restart within 6 hours of the checkup does not start it', not scanned,
                scanned)
        status = quit_app(app)
        app = None
        t.check('app.quit ends the app cleanly (3)', status == 0, 'exit status %s' % status)

        output = e2elib.read_output(app_log_path)
        warnings = e2elib.warnings_in(output)
        t.check('no warnings or criticals in the app\'s output', not warnings,
                '\n'.join(warnings[:20]))
        t.check('the key never shows in the app\'s output', KEY not in output)
    except Exception as error:
        t.check('the scenario ran to the end', False, '%s: %s' % (type(error).__name__, error))
    finally:
        if app is not None:
            app.terminate()
            app.wait(10)
        if daemon is not None:
            notifyd.stop(daemon)
        if sim is not None:
            benchlib.stop(sim)
        app_log.close()
        sim_log.close()
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
