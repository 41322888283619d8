#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: notification buttons while the app is not running (D-Bus activation).

GNOME Shell answers a notification's button of a closed app by calling
org.freedesktop.Application.ActivateAction on the app's name, which the session bus starts from
its service file (data/APP_ID.service: Exec=… --gapplication-service). This test does what the
Shell does, on the private session bus of build-aux/test-session.sh:

  - the service file made by the build (its Name and its arguments) goes into
    $XDG_DATA_HOME/dbus-1/services, which that bus reads, with its program replaced by a small
    script that starts the build tree's binary with the same arguments in this test's
    environment (settings in a keyfile, the data directory; the bus would otherwise pass on its
    own) and the app's output into the artifacts; org.freedesktop.DBus.ReloadConfig;
  - with the app not running, ActivateAction for:
      * extend-link of "Cold A" (Notes.txt, expiring in 12 hours): the process is started with
        --gapplication-service, signs in from the keyring (no window), the simulator's link
        expires exactly 7 days later, a notification says "…was extended", and the process
        ends by itself within 20 seconds;
      * extend-link of "Cold E" after a second administrator moved its expiry: a notification
        says someone else changed it, with "Nothing was changed", no PUT, the simulator keeps
        their date;
      * extend-link of "Cold D", deleted by someone else: a notification says so;
      * extend-link with the key gone from the keyring: a notification says the keyring holds
        no key and to sign in; nothing sent;
      * copy-link: `xclip` reads the URL; the process stays (it owns the X11 selection, no
        clipboard manager here) and ends once something else is copied;
      * show-link (a reminder's own click) with the link's URL: the window and Find Link,
        which asks the portal about that link;
      * open-window: a window "DocSpace Links" appears and the process stays;
  - with that window open, extend-link of "Cold B": extended, and the window and the process
    stay; app.quit ends it;
  - with the simulator stopped, extend-link from a cold start: a notification says the portal
    could not be reached, and the process ends by itself.

Prints TAP. Needs a display and a session bus: build-aux/test-session.sh provides both.
Arguments: the built service file. Environment: DSL_SIM, DSL_APP, DSL_ARTIFACTS,
GSETTINGS_SCHEMA_DIR.
"""

import configparser
import datetime
import json
import os
import shlex
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

KEY = benchlib.OWNER_KEY
# How long a process started for a button may take to end by itself once it is done.
EXIT_WITHIN = 20


def api(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={'Authorization': 'Bearer ' + KEY,
                                              'Content-Type': 'application/json',
                                              'Accept': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def iso(dt):
    return dt.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def parse(text):
    return datetime.datetime.fromisoformat(text[:19] + text[27:] if len(text) > 27
                                           and text[19] == '.' else text)


def link_of(url, file_id, link_id):
    for entry in api(url, 'GET', '/api/2.0/files/file/%s/links' % file_id)['response']:
        shared = entry.get('sharedLink') or {}
        if shared.get('id') == link_id:
            return shared
    return None


def clipboard():
    try:
        return subprocess.run(['xclip', '-selection', 'clipboard', '-o'], capture_output=True,
                              text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None


def windows_titled(title):
    tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True,
                          timeout=10).stdout
    return '"%s"' % title in tree


class Bus:
    def __init__(self, app_id):
        from gi.repository import Gio, GLib
        self.Gio, self.GLib = Gio, GLib
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.app_id = app_id
        self.path = '/' + app_id.replace('.', '/')

    def dbus(self, method, args, signature):
        return self.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                  'org.freedesktop.DBus', method,
                                  self.GLib.Variant(signature, args) if signature else None,
                                  None, self.Gio.DBusCallFlags.NONE, 10000, None).unpack()

    def running(self):
        return self.dbus('NameHasOwner', (self.app_id,), '(s)')[0]

    def pid(self):
        try:
            return self.dbus('GetConnectionUnixProcessID', (self.app_id,), '(s)')[0]
        except self.GLib.Error:
            return None

    def activate_action(self, name, target=None):
        """org.freedesktop.Application.ActivateAction, as GNOME Shell calls it for a
        notification's button (the bus starts the app when nobody owns the name)."""
        parameter = [self.GLib.Variant('s', target)] if target is not None else []
        self.bus.call_sync(self.app_id, self.path, 'org.freedesktop.Application',
                           'ActivateAction',
                           self.GLib.Variant('(sava{sv})', (name, parameter, {})), None,
                           self.Gio.DBusCallFlags.NONE, 60000, None)

    def quit(self):
        self.bus.call_sync(self.app_id, self.path, 'org.gtk.Actions', 'Activate',
                           self.GLib.Variant('(sava{sv})', ('quit', [], {})), None,
                           self.Gio.DBusCallFlags.NONE, 10000, None)


def cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            return [a.decode(errors='replace') for a in handle.read().split(b'\0') if a]
    except (OSError, TypeError):
        return []


def main():
    missing = e2elib.missing_session()
    if missing:
        return skip_all(missing)
    if len(sys.argv) < 2:
        return skip_all('usage: test_cold_start.py SERVICE_FILE')

    service_path = sys.argv[1]
    service = configparser.ConfigParser(interpolation=None)
    service.optionxform = str
    service.read(service_path)
    app_id = service.get('D-BUS Service', 'Name', fallback='')
    exec_line = shlex.split(service.get('D-BUS Service', 'Exec', fallback=''))

    sim_path = os.environ['DSL_SIM']
    app_path = os.environ['DSL_APP']
    artifacts = os.environ.get('DSL_ARTIFACTS') or tempfile.mkdtemp()
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix='dsl-e2e-cold.')
    env = e2elib.app_env(work)
    env['XDG_DATA_HOME'] = os.path.join(work, 'data')
    env['NO_AT_BRIDGE'] = '1'     # no dogtail here
    notify_log = os.path.join(artifacts, 'e2e-cold-start-notifications.log')
    app_log_path = os.path.join(artifacts, 'e2e-cold-start-app.log')
    for path in (notify_log, app_log_path):
        if os.path.exists(path):
            os.remove(path)
    t = Tap()
    sim = daemon = holder = None
    sim_log = open(os.path.join(artifacts, 'e2e-cold-start-sim.log'), 'w')

    t.check('the built service file names the app and starts it with --gapplication-service '
            'as its only argument',
            app_id.startswith('io.github.dslinks.DocSpaceLinks') and len(exec_line) == 2
            and os.path.basename(exec_line[0]) == 'docspace-links'
            and exec_line[1] == '--gapplication-service', open(service_path).read())
    bus = Bus(app_id)

    # The session bus reads $XDG_DATA_HOME/dbus-1/services (the bus's own: this process's
    # environment, not the app's `env`).
    bus_services = os.path.join(os.environ.get('XDG_DATA_HOME') or
                                os.path.expanduser('~/.local/share'), 'dbus-1', 'services')
    os.makedirs(bus_services, exist_ok=True)
    installed = os.path.join(bus_services, app_id + '.service')
    wrapper = os.path.join(work, 'docspace-links')
    starts_path = os.path.join(work, 'starts')
    with open(wrapper, 'w') as handle:
        handle.write('#!/bin/sh\n# The app as the session bus starts it, in this test\'s '
                     'environment (no secret in it).\n')
        for name, value in sorted(env.items()):
            if name.isidentifier():
                handle.write('export %s=%s\n' % (name, shlex.quote(value)))
        # Each start is recorded (its pid stays the app's through exec, and the arguments the
        # bus passed), since a quick action may be over before the test can ask the bus.
        handle.write('printf \'%%s %%s\\n\' "$$" "$*" >>%s\n' % shlex.quote(starts_path))
        handle.write('exec %s "$@" >>%s 2>&1\n' % (shlex.quote(app_path),
                                                 shlex.quote(app_log_path)))
    os.chmod(wrapper, 0o700)
    with open(installed, 'w') as handle:
        handle.write('[D-BUS Service]\nName=%s\nExec=%s\n'
                     % (app_id, ' '.join([wrapper] + exec_line[1:])))

    def reload_bus():
        bus.dbus('ReloadConfig', None, None)

    def wait_gone(pid, timeout=EXIT_WITHIN):
        """True once the app's name has no owner and its process `pid` has ended."""
        return bool(benchlib.wait_for(
            lambda: not bus.running() and (pid is None or not os.path.exists('/proc/%d' % pid)),
            timeout, 0.2))

    def starts():
        try:
            with open(starts_path) as handle:
                return [line.rstrip('\n').split(' ', 1) for line in handle if line.strip()]
        except FileNotFoundError:
            return []

    def activate(name, target=None):
        """ActivateAction; returns the pid of the process that took it: the one the bus
        started for it, else the one running."""
        before = len(starts())
        bus.activate_action(name, target)
        started = starts()[before:]
        return int(started[-1][0]) if started else bus.pid()

    def still_running(pid):
        """The app that `pid` started still owns its name. In a Flatpak (DSL_E2E_APP) the bus
        sees the sandboxed process, not `flatpak run`, whose pid the wrapper recorded; that
        one lives exactly as long as the app."""
        if not bus.running():
            return False
        if os.environ.get('DSL_E2E_APP'):
            return os.path.exists('/proc/%d' % pid)
        return bus.pid() == pid

    def notes_since(count):
        return notifyd.notifications(notify_log)[count:]

    try:
        reload_bus()
        t.check('the app is not running before the first button', not bus.running())

        sim, url = benchlib.start_simulator(sim_path, sim_log)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

        def make(file_id, title, hours):
            made = api(url, 'PUT', '/api/2.0/files/file/%s/links' % file_id,
                       {'access': 2, 'title': title,
                        'expirationDate': iso(now + datetime.timedelta(hours=hours))})
            shared = made['response']['sharedLink']
            return shared['id'], parse(shared['expirationDate']), shared['shareLink']

        def target(file_id, link_id, expires):
            return '\n'.join(['%s %s' % (benchlib.OWNER_ID, url), 'file', str(file_id),
                              link_id, expires.isoformat()])

        a_id, a_expiry, a_url = make(402, 'Cold A', 12)
        b_id, b_expiry, _b_url = make(302, 'Cold B', 20)
        d_id, d_expiry, _d_url = make(502, 'Cold D', 6)
        e_id, e_expiry, _e_url = make(303, 'Cold E', 8)
        f_id, f_expiry, _f_url = make(301, 'Cold F', 10)
        benchlib.seed_account(env, url)
        daemon = notifyd.start(notify_log)

        # --- Extend 7 Days, cold ---
        count = len(notifyd.notifications(notify_log))
        start = len(benchlib.sim_requests(url))
        started = time.monotonic()
        pid = activate('extend-link', target(402, a_id, a_expiry))
        t.check('ActivateAction starts the app through its service file, with '
                '--gapplication-service',
                len(starts()) == 1 and starts()[0][1:] == ['--gapplication-service'], starts())
        wanted = a_expiry + datetime.timedelta(days=7)
        t.check('extend-link from a cold start moves the expiry on the simulator by exactly '
                '7 days',
                bool(benchlib.wait_for(lambda: parse((link_of(url, 402, a_id) or {}).get(
                    'expirationDate', '1970-01-01T00:00:00Z')) == wanted, 30, 0.3)),
                'wanted %s, simulator %s' % (wanted, link_of(url, 402, a_id)))
        puts = [r for r in benchlib.sim_requests(url)[start:] if r.get('method') == 'PUT']
        t.check('one PUT, for that link, with the owner\'s key from the keyring',
                len(puts) == 1 and puts[0]['body'].get('linkId') == a_id
                and puts[0]['body'].get('title') == 'Cold A', puts)
        said = notifyd.wait_for(notify_log, lambda r: any(
            'was extended' in x['summary'] and 'now expires' in x['body']
            for x in r[count:]), 20)
        t.check('a notification says the link was extended and its new date', said is not None,
                notes_since(count))
        t.check('the process ends by itself (no window was opened) within %d s' % EXIT_WITHIN,
                wait_gone(pid), 'pid %s, running %s' % (pid, bus.running()))
        t.note('extend-link, cold: %.1f s from the call to the end of the process'
               % (time.monotonic() - started))
        t.check('and it opened no window', not windows_titled('DocSpace Links'))

        # --- a second administrator changed the expiry first: conflict, nothing changed ---
        theirs = e_expiry + datetime.timedelta(days=3)
        benchlib.change_link(url, e_id, expiration_date=iso(theirs))
        count = len(notifyd.notifications(notify_log))
        start = len(benchlib.sim_requests(url))
        pid = activate('extend-link', target(303, e_id, e_expiry))
        said = notifyd.wait_for(notify_log, lambda r: any(
            'could not be extended' in x['summary'] for x in r[count:]), 30)
        bodies = [x['body'] for x in (said or [])[count:]
                  if 'could not be extended' in x['summary']]
        t.check('extend-link after someone else changed the expiry: the notification says so, '
                'and that nothing was changed',
                len(bodies) == 1 and 'Someone else changed when this link expires' in bodies[0]
                and 'Nothing was changed' in bodies[0], notes_since(count))
        t.check('... no PUT, and the simulator keeps the other administrator\'s date',
                not [r for r in benchlib.sim_requests(url)[start:] if r['method'] == 'PUT']
                and parse((link_of(url, 303, e_id) or {}).get(
                    'expirationDate', '1970-01-01T00:00:00Z')) == theirs,
                link_of(url, 303, e_id))
        t.check('... and the process ends by itself', wait_gone(pid))

        # --- a link deleted by someone else ---
        benchlib.delete_link(url, d_id)
        count = len(notifyd.notifications(notify_log))
        start = len(benchlib.sim_requests(url))
        pid = activate('extend-link', target(502, d_id, d_expiry))
        said = notifyd.wait_for(notify_log, lambda r: any(
            'could not be extended' in x['summary'] and 'removed by someone else' in x['body']
            for x in r[count:]), 30)
        t.check('extend-link of a link deleted by someone else: the notification says so',
                said is not None, notes_since(count))
        t.check('... nothing is sent to re-create it, and the process ends by itself',
                not [r for r in benchlib.sim_requests(url)[start:] if r['method'] == 'PUT']
                and wait_gone(pid))

        # --- no key in the keyring ---
        benchlib.clear_secret(env, url)
        count = len(notifyd.notifications(notify_log))
        start = len(benchlib.sim_requests(url))
        pid = activate('extend-link', target(301, f_id, f_expiry))
        said = notifyd.wait_for(notify_log, lambda r: any(
            'could not be extended' in x['summary'] and 'keyring holds no key' in x['body']
            and 'sign in' in x['body'] for x in r[count:]), 30)
        t.check('extend-link with no key in the keyring: the notification says so, and to sign '
                'in', said is not None, notes_since(count))
        t.check('... nothing is asked of the portal, and the process ends by itself',
                not benchlib.sim_requests(url)[start:] and wait_gone(pid),
                benchlib.sim_requests(url)[start:])
        t.check('... the link is unchanged', parse((link_of(url, 301, f_id) or {}).get(
            'expirationDate', '1970-01-01T00:00:00Z')) == f_expiry)
        benchlib.seed_account(env, url)

        # --- Copy Link, cold: the X11 selection lives in the process ---
        count = len(notifyd.notifications(notify_log))
        pid = activate('copy-link', a_url)
        copied = benchlib.wait_for(lambda: clipboard() == a_url, 15, 0.2)
        t.check('copy-link from a cold start puts the link on the clipboard', bool(copied),
                'clipboard %r, link %r' % (clipboard(), a_url))
        said = notifyd.wait_for(notify_log, lambda r: any(
            x['summary'] == 'Link copied' and a_url in x['body'] for x in r[count:]), 10)
        t.check('a notification says it was copied', said is not None, notes_since(count))
        time.sleep(3)
        t.check('the process stays to keep the copied link (no clipboard manager here), '
                'without a window',
                bus.running() and pid is not None and os.path.exists('/proc/%d' % pid)
                and clipboard() == a_url and not windows_titled('DocSpace Links'))
        # Someone else copies (xclip in the foreground, stopped by its pid below).
        holder = subprocess.Popen(['xclip', '-quiet', '-selection', 'clipboard', '-i'],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        holder.stdin.write(b'something else')
        holder.stdin.close()
        t.check('once something else is copied, the process ends by itself', wait_gone(pid),
                'clipboard %r' % clipboard())
        benchlib.stop(holder)
        holder = None

        # --- show-link (a reminder's own click), cold: the window with Find Link on the link ---
        start = len(benchlib.sim_requests(url))
        pid = activate('show-link', a_url)
        t.check('show-link from a cold start opens the window and Find Link',
                bool(benchlib.wait_for(lambda: windows_titled('DocSpace Links')
                                       and windows_titled('Find Link'), 30, 0.3)))
        t.check('... which looks the link up on the portal (files/share/{key})',
                bool(benchlib.wait_for(lambda: [
                    r for r in benchlib.sim_requests(url)[start:]
                    if r.get('path', '').startswith('/api/2.0/files/share/')], 30, 0.3)),
                [r.get('path') for r in benchlib.sim_requests(url)[start:]])
        bus.quit()
        t.check('... app.quit ends it', wait_gone(pid, 30))

        # --- open-window, cold: a window ---
        pid = activate('open-window')
        t.check('open-window from a cold start opens the window',
                bool(benchlib.wait_for(lambda: windows_titled('DocSpace Links'), 30, 0.3)))
        time.sleep(2)
        t.check('and the process stays with it', still_running(pid))

        # --- an action while the app runs with a window: the window stays ---
        count = len(notifyd.notifications(notify_log))
        activate('extend-link', target(302, b_id, b_expiry))
        wanted = b_expiry + datetime.timedelta(days=7)
        t.check('extend-link while the window is open extends the link',
                bool(benchlib.wait_for(lambda: parse((link_of(url, 302, b_id) or {}).get(
                    'expirationDate', '1970-01-01T00:00:00Z')) == wanted, 30, 0.3))
                and notifyd.wait_for(notify_log, lambda r: any(
                    'was extended' in x['summary'] for x in r[count:]), 20) is not None,
                link_of(url, 302, b_id))
        time.sleep(2)
        t.check('... and the window and the process stay',
                windows_titled('DocSpace Links') and still_running(pid))
        bus.quit()
        t.check('app.quit ends it', wait_gone(pid, 30))
        t.check('the bus started the app once per cold button, every time with '
                '--gapplication-service',
                len(starts()) == 7 and all(s[1:] == ['--gapplication-service']
                                          for s in starts()), starts())

        # --- the portal cannot be reached ---
        benchlib.stop(sim)
        sim = None
        count = len(notifyd.notifications(notify_log))
        pid = activate('extend-link', target(301, f_id, f_expiry))
        said = notifyd.wait_for(notify_log, lambda r: any(
            'could not be extended' in x['summary'] and 'could not be reached' in x['body']
            for x in r[count:]), 60)
        t.check('extend-link while the portal cannot be reached: the notification says so',
                said is not None, notes_since(count))
        t.check('... and the process ends by itself', wait_gone(pid))

        output = e2elib.read_output(app_log_path)
        warnings = e2elib.warnings_in(output)
        t.check('no warnings or criticals in the app\'s output', not warnings,
                '\n'.join(warnings[:20]))
        t.check('the key never shows in the app\'s output', KEY not in output)
    except Exception as error:
        t.check('the scenario ran to the end', False, '%s: %s' % (type(error).__name__, error))
    finally:
        if holder is not None:
            benchlib.stop(holder)
        # Whatever the bus started for this test is ended by its pid, then the service file
        # goes away.
        pid = bus.pid()
        if pid is not None and os.path.basename((cmdline(pid) or [''])[0]) == 'docspace-links':
            os.kill(pid, 15)
        if os.path.exists(installed):
            os.remove(installed)
        try:
            reload_bus()
        except Exception:
            pass
        if daemon is not None:
            notifyd.stop(daemon)
        if sim is not None:
            benchlib.stop(sim)
        sim_log.close()
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
