#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fake desktop notification daemon for the end-to-end tests.

GLib's GNotification talks to the freedesktop notification server
(org.freedesktop.Notifications) when org.gtk.Notifications is not owned on the
session bus and the application is not sandboxed.  This script owns
org.freedesktop.Notifications on the session bus of a test run
(build-aux/test-session.sh) and:

- implements Notify, CloseNotification, GetCapabilities ("actions", "body")
  and GetServerInformation;
- appends one JSON line per Notify call to the file given with --log:
  {"id", "app_name", "replaces_id", "summary", "body",
   "actions": [[key, label], ...], "hints": {...}, "expire_timeout"}
  (hints that cannot be turned into JSON are written as their repr);
  a CloseNotification call is logged as {"closed": id};
- offers a control interface io.github.dslinks.TestNotifications at
  /io/github/dslinks/TestNotifications with
  InvokeAction(u id, s action_key): emits ActionInvoked(id, key) and then
  NotificationClosed(id, 2) from the daemon's own connection, as a person
  pressing a notification's button would.

Run:   /usr/bin/python3 tests/e2e/notifyd.py --log FILE
Tests: import notifyd; p = notifyd.start(log); notifyd.wait_for(log, pred);
       notifyd.invoke(id, 'app.some-action'); notifyd.stop(p)
"""

import argparse
import json
import os
import subprocess
import sys
import time

from gi.repository import Gio, GLib

BUS_NAME = 'org.freedesktop.Notifications'
OBJ_PATH = '/org/freedesktop/Notifications'
CTL_IFACE = 'io.github.dslinks.TestNotifications'
CTL_PATH = '/io/github/dslinks/TestNotifications'

XML = '''
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
  <interface name="io.github.dslinks.TestNotifications">
    <method name="InvokeAction">
      <arg type="u" direction="in"/><arg type="s" direction="in"/>
    </method>
  </interface>
</node>
'''


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


class Daemon:
    def __init__(self, log_path):
        self.log_path = log_path
        self.next_id = 1
        self.conn = None

    def _log(self, record):
        with open(self.log_path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record) + '\n')
            f.flush()

    def _emit(self, name, params):
        self.conn.emit_signal(None, OBJ_PATH, BUS_NAME, name, params)

    def on_call(self, conn, sender, path, iface, method, params, invocation):
        args = params.unpack()
        if iface == BUS_NAME and method == 'Notify':
            app_name, replaces_id, _icon, summary, body, actions, hints, timeout = args
            nid = replaces_id if replaces_id else self.next_id
            if not replaces_id:
                self.next_id += 1
            pairs = [[actions[i], actions[i + 1]] for i in range(0, len(actions) - 1, 2)]
            self._log({'id': nid, 'app_name': app_name, 'replaces_id': replaces_id,
                       'summary': summary, 'body': body, 'actions': pairs,
                       'hints': {k: _jsonable(v) for k, v in hints.items()},
                       'expire_timeout': timeout})
            invocation.return_value(GLib.Variant('(u)', (nid,)))
        elif iface == BUS_NAME and method == 'CloseNotification':
            self._log({'closed': args[0]})
            invocation.return_value(None)
            self._emit('NotificationClosed', GLib.Variant('(uu)', (args[0], 3)))
        elif iface == BUS_NAME and method == 'GetCapabilities':
            invocation.return_value(GLib.Variant('(as)', (['actions', 'body'],)))
        elif iface == BUS_NAME and method == 'GetServerInformation':
            invocation.return_value(GLib.Variant('(ssss)',
                                                 ('dsl-test-notifyd', 'docspace-links', '1.0', '1.2')))
        elif iface == CTL_IFACE and method == 'InvokeAction':
            nid, key = args
            self._emit('ActionInvoked', GLib.Variant('(us)', (nid, key)))
            self._emit('NotificationClosed', GLib.Variant('(uu)', (nid, 2)))
            invocation.return_value(None)
        else:
            invocation.return_dbus_error('org.freedesktop.DBus.Error.UnknownMethod', method)

    def run(self):
        info = Gio.DBusNodeInfo.new_for_xml(XML)
        loop = GLib.MainLoop()

        def on_bus(conn, _name):
            self.conn = conn
            conn.register_object(OBJ_PATH, info.interfaces[0], self.on_call)
            conn.register_object(CTL_PATH, info.interfaces[1], self.on_call)

        def on_acquired(_conn, _name):
            # Tests wait for this line (start() below) before going on.
            print('ready', flush=True)

        def on_lost(_conn, _name):
            print('notifyd: could not own ' + BUS_NAME, file=sys.stderr, flush=True)
            loop.quit()

        Gio.bus_own_name(Gio.BusType.SESSION, BUS_NAME, Gio.BusNameOwnerFlags.NONE,
                         on_bus, on_acquired, on_lost)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, loop.quit)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 2, loop.quit)
        loop.run()


# ---- helpers for tests ----------------------------------------------------

def start(log_path, timeout=10):
    """Start the daemon on the current session bus; return its Popen once the
    name is owned.  Raises RuntimeError if it does not get the name."""
    open(log_path, 'a').close()
    proc = subprocess.Popen(['/usr/bin/python3', os.path.abspath(__file__), '--log', log_path],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if line.strip() != 'ready':
        proc.kill()
        proc.wait()
        raise RuntimeError('notifyd did not start')
    return proc


def stop(proc):
    """Stop a daemon started with start() (by its pid)."""
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def read(log_path):
    """All records logged so far (Notify calls and {"closed": id} records)."""
    out = []
    try:
        with open(log_path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    except FileNotFoundError:
        pass
    return out


def notifications(log_path):
    """Only the Notify records."""
    return [r for r in read(log_path) if 'summary' in r]


def wait_for(log_path, predicate, timeout=20):
    """Wait until predicate(notifications) is true; return the list (or None on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        recs = notifications(log_path)
        if predicate(recs):
            return recs
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def invoke(nid, action_key):
    """Press the button action_key of notification nid."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync(BUS_NAME, CTL_PATH, CTL_IFACE, 'InvokeAction',
                  GLib.Variant('(us)', (nid, action_key)), None,
                  Gio.DBusCallFlags.NONE, 5000, None)


def main():
    ap = argparse.ArgumentParser(description='fake org.freedesktop.Notifications for tests')
    ap.add_argument('--log', required=True, help='append one JSON line per notification here')
    Daemon(ap.parse_args().log).run()


if __name__ == '__main__':
    main()
