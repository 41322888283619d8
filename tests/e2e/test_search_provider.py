#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: the GNOME Shell search provider over D-Bus, as the Shell calls it.

Starts docspace-sim and the app signed in as Olivia Owner with no typing, with the expiry
reminders' link scan 1 s after sign-in (DSL_REMINDER_SCAN_DELAY=1), so the account's search
index gets every item of the portal and its link counts. Then, calling
org.gnome.Shell.SearchProvider2 on the app's bus name at APP_PATH/SearchProvider:
  - GetInitialResultSet(["launch"]) finds "Launch plan.docx" (301, deep in Marketing, a folder
    the tree never opened) as item:<account hash>:301; ["PRESS"] finds the
    room "Press Kit" first (its name starts with it), then "Press release.docx";
  - GetSubsearchResultSet narrows the previous results ("p" → "pla") and finds nothing
    outside them;
  - GetResultMetas gives the name, "Rooms › Marketing · 4 links, 1 expired" and a themed icon;
  - no search sends a request to the portal;
  - Ctrl+Q writes the index to the cache directory (a file named by a hash, not the portal);
  - with the app not running, it is started as a D-Bus service (--gapplication-service, as
    D-Bus activation does): the same searches answer from the cache file alone, with no window
    and not one request to the portal; ActivateResult opens the window, which signs in from
    the keyring and selects "Launch plan.docx" in the tree (its links are read for the
    sidebar);
  - a share URL of "Partners" gives one result "Find Link…", whose activation opens Find Link
    resolved to "Marketing";
  - LaunchSearch on a service with no window opens the window;
  - Ctrl+Q quits cleanly; no warnings; the key never in the output.

Prints TAP. Needs a display, a session bus and an accessibility bus: build-aux/run-tests.sh.
"""

import glob
import json
import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402
from e2elib import benchlib, skip_all  # noqa: E402

BASE_ID = 'io.github.dslinks.DocSpaceLinks'
IFACE = 'org.gnome.Shell.SearchProvider2'
LAUNCH = '301'


def bus():
    from gi.repository import Gio
    return Gio.bus_get_sync(Gio.BusType.SESSION, None)


def app_bus_name():
    """The app's well-known name on the session bus (the .Devel profile's or the release's)."""
    from gi.repository import GLib
    names = bus().call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                            'org.freedesktop.DBus', 'ListNames', None,
                            GLib.VariantType('(as)'), 0, 10000, None).unpack()[0]
    for name in (BASE_ID + '.Devel', BASE_ID):
        if name in names:
            return name
    return None


def call(name, method, signature, args, reply):
    from gi.repository import GLib
    path = '/' + name.replace('.', '/') + '/SearchProvider'
    result = bus().call_sync(name, path, IFACE, method, GLib.Variant(signature, args),
                             GLib.VariantType(reply) if reply else None, 0, 20000, None)
    return result.unpack() if result is not None else None


def initial(name, terms):
    return call(name, 'GetInitialResultSet', '(as)', (terms,), '(as)')[0]


def subsearch(name, previous, terms):
    return call(name, 'GetSubsearchResultSet', '(asas)', (previous, terms), '(as)')[0]


def metas(name, ids):
    return call(name, 'GetResultMetas', '(as)', (ids,), '(aa{sv})')[0]


def activate(name, result_id, terms):
    call(name, 'ActivateResult', '(sasu)', (result_id, terms, 0), None)


def share_link(url, path, title):
    request = urllib.request.Request(url + path, headers={
        'Authorization': 'Bearer ' + benchlib.OWNER_KEY, 'Accept': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        links = json.load(answer)['response']
    for entry in links:
        shared = entry.get('sharedLink') or {}
        if shared.get('title') == title:
            return shared['shareLink']
    raise RuntimeError('no link %r at %s' % (title, path))


def n_requests(url):
    return len(benchlib.sim_requests(url))


def quiet(url, seconds=2.0, timeout=120):
    """Waits until the portal has received no request for `seconds`; the count then."""
    deadline = time.monotonic() + timeout
    count, since = n_requests(url), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = n_requests(url)
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return count
    return count


def item_ids(results):
    return [r.split(':', 2)[2] for r in results if r.startswith('item:')]


def main():
    s = e2elib.Scenario('search-provider')
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, env = s.t, s.env
    try:
        import gi
        gi.require_version('Gio', '2.0')
    except (ImportError, ValueError) as error:
        return skip_all('python3-gi is not available: %s' % error)
    env['DSL_REMINDER_SCAN_DELAY'] = '1'
    env['XDG_CACHE_HOME'] = os.path.join(s.work, 'cache')

    with s:
        url = s.start_simulator()
        s.seed_account()
        partners = share_link(url, '/api/2.0/files/rooms/101/links?type=1', 'Partners')

        root = s.start_app()
        t.check('the app shows up in the accessibility tree', root is not None)
        name = e2elib.wait_for(app_bus_name, 30)
        t.check('the app owns its bus name', name is not None)
        if name is None:
            raise RuntimeError('the app is not on the session bus')

        # The link scan (1 s after sign-in) walks the portal: then every item is found.
        found = e2elib.wait_for(lambda: item_ids(initial(name, ['launch'])), 120)
        t.check('GetInitialResultSet(["launch"]) finds "Launch plan.docx" (%s)' % LAUNCH,
                found == [LAUNCH], repr(found))
        quiet(url)
        before = n_requests(url)

        started = time.monotonic()
        press = initial(name, ['PRESS'])
        took = (time.monotonic() - started) * 1000
        t.note('GetInitialResultSet(["PRESS"]) took %.1f ms over D-Bus' % took)
        t.check('["PRESS"] finds "Press Kit" (102) first, then "Press release.docx" (304)',
                item_ids(press)[:2] == ['102', '304'],
                repr(press))
        p_results = initial(name, ['p'])
        t.check('["p"] finds "Launch plan.docx" and "Press Kit" among others',
                '301' in item_ids(p_results) and '102' in item_ids(p_results), repr(p_results))
        narrowed = subsearch(name, p_results, ['pla'])
        t.check('GetSubsearchResultSet(previous, ["pla"]) keeps only "Launch plan.docx"',
                item_ids(narrowed) == [LAUNCH], repr(narrowed))
        outside = subsearch(name, narrowed, ['press'])
        t.check('a subsearch finds nothing outside the previous results', outside == [],
                repr(outside))
        launch_id = initial(name, ['launch'])[:1]
        room_id = [r for r in initial(name, ['marketing']) if r.endswith(':101')][:1]
        meta = metas(name, launch_id + room_id)
        by_name = {m['name']: m for m in meta}
        launch = by_name.get('Launch plan.docx', {})
        t.check('GetResultMetas: "Launch plan.docx" in "Rooms › Marketing › Campaigns › 2026"',
                launch.get('description', '').startswith(
                    'Rooms \u203a Marketing \u203a Campaigns \u203a 2026 \u00b7 '),
                repr(meta))
        t.check('... with its links ("2 links")',
                launch.get('description', '').endswith(' \u00b7 2 links'), repr(launch))
        marketing = by_name.get('Marketing', {})
        t.check('... "Marketing": "Rooms · 4 links, 1 expired"',
                marketing.get('description') == 'Rooms \u00b7 4 links, 1 expired', repr(meta))
        t.check('... each with an id and a themed icon',
                all(m.get('id') and m.get('gicon') for m in meta) and len(meta) == 2,
                repr(meta))
        t.check('no search sent a request to the portal', n_requests(url) == before,
                '%d requests' % (n_requests(url) - before))

        status = s.quit_app()
        t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)
        cached = glob.glob(os.path.join(env['XDG_CACHE_HOME'], 'docspace-links', 'search-*.json'))
        t.check('the index is in the cache directory, named by a hash',
                len(cached) == 1 and '127.0.0.1' not in cached[0], repr(cached))

        # Not running: D-Bus activation starts it as a service (no window, no sign-in).
        benchlib.sim_clear_requests(url)
        s.app = subprocess.Popen([s.app_path, '--gapplication-service'], env=env,
                                 stdin=subprocess.DEVNULL, stdout=s.app_log,
                                 stderr=subprocess.STDOUT)
        name = e2elib.wait_for(app_bus_name, 30)
        t.check('started as a D-Bus service, the app owns its bus name', name is not None)
        if name is None:
            raise RuntimeError('the service is not on the session bus')
        found = item_ids(initial(name, ['launch']))
        t.check('the service finds "Launch plan.docx" from the cache file', found == [LAUNCH],
                repr(found))
        meta = metas(name, initial(name, ['launch']))
        t.check('... with its location and links',
                meta and meta[0].get('description', '').endswith('2026 \u00b7 2 links'),
                repr(meta))
        time.sleep(1)
        t.check('... and no request to the portal, no window',
                n_requests(url) == 0 and not s.tree.root.findChildren(
                    lambda n: n.roleName == 'application' and n.name == 'docspace-links'
                    and n.childCount > 0, recursive=False),
                '%d requests' % n_requests(url))

        activate(name, initial(name, ['launch'])[0], ['launch'])
        s.root = root = s.tree.root.application('docspace-links')
        links_read = e2elib.wait_for(lambda: any(
            r['path'] == '/api/2.0/files/file/301/links' for r in benchlib.sim_requests(url)),
            60)
        t.check('ActivateResult opens the window, signed in from the keyring, on the item '
                '(its links are read for the sidebar)', links_read)
        tree_view = benchlib.tree_list(root, 30)
        row = benchlib.find_row(tree_view, 'Launch plan.docx', 30) if tree_view else None
        selected = e2elib.wait_for(lambda: row is not None and row.selected, 10)
        t.check('... and "Launch plan.docx" is the selected row of the tree', selected,
                s.dump('activated'))
        benchlib.screenshot(s.artifact('search-provider-activated.png'))

        # A share URL pasted into the overview.
        results = initial(name, [partners])
        t.check('a share URL gives one result, "find-link:<url>"',
                results == ['find-link:' + partners], repr(results))
        meta = metas(name, results)
        t.check('... named "Find Link…"', meta and meta[0].get('name') == 'Find Link\u2026',
                repr(meta))
        activate(name, results[0], [partners])
        dialog = e2elib.wait_for(lambda: root.findChild(
            lambda n: n.roleName in ('frame', 'dialog', 'window') and n.name == 'Find Link',
            retry=False, requireResult=False), 30)
        t.check('activating it opens Find Link', dialog is not None, s.dump('find-link'))
        item = e2elib.wait_for(lambda: dialog.findChild(lambda n: n.name == 'Marketing',
                                                        retry=False, requireResult=False),
                               30) if dialog else None
        t.check('... resolved to "Marketing"', item is not None)

        status = s.quit_app()
        t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)

        # LaunchSearch ("more results" in the overview) on a service with no window opens one.
        s.app = subprocess.Popen([s.app_path, '--gapplication-service'], env=env,
                                 stdin=subprocess.DEVNULL, stdout=s.app_log,
                                 stderr=subprocess.STDOUT)
        name = e2elib.wait_for(app_bus_name, 30)
        t.check('started as a service again, the app owns its bus name', name is not None)
        if name is None:
            raise RuntimeError('the service is not on the session bus')
        call(name, 'LaunchSearch', '(asu)', (['launch'], 0), None)
        s.root = root = s.tree.root.application('docspace-links')
        window = e2elib.wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'frame' and n.name == 'DocSpace Links', retry=False,
            requireResult=False), 30)
        t.check('LaunchSearch opens the window', window is not None, s.dump('launch-search'))
        status = s.quit_app()
        t.check('Ctrl+Q quits with status 0', status == 0, 'status %s' % status)
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
