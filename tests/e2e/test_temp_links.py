#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: temporary links (Share Temporarily…, the download-limit guard), driven through
the accessibility tree.

Starts docspace-sim, a fake notification daemon (notifyd.py) on the test session bus and the app
signed in as Olivia Owner (a portal administrator) with no typing. Then:
  - 402 "Notes.txt": "Share Temporarily…" opens the temporary link editor; once the audit probe
    answered, "Limit downloads" is offered; with a limit of 2 "Create and Copy" creates a View
    only link (PUT …/links: access 2, an expiry) on the simulator, the clipboard holds its
    shareLink, its row says "Temporary link: 0 of 2 downloads", and the app's store file holds
    the link with its limit (and no password);
  - two anonymous downloads through GET /s/<code>?download=1 (the second with &format=pdf, a
    "download as", FileDownloadedAs 5010); "Check Temporary Links Now" (main
    menu) revokes it: the simulator received access 0 for that link id, the link is gone from
    the portal and the sidebar, a toast says so and a desktop notification names the item and
    the limit, and the item's Activity lists the revocation;
  - a guarded link whose expiry passed while the app was closed is revoked when the app starts
    (catch-up), with its notification;
  - a plan without audit (the simulator's audit402 and audit-unfiltered faults) turns the
    download limit off with the reason;
  - Ulrich User (a room manager, not an administrator) sees the limit off with the reason in
    his room "Marketing";
  - Ctrl+Q quits cleanly; no warnings or criticals in the app's output, the key never in it.

Prints TAP. Needs a display and a session bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP, DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import datetime
import json
import os
import shutil
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, dogtail, the app; puts tests/bench on the path)
from e2elib import benchlib, press, set_text, skip_all, wait_for  # noqa: E402
from test_links import (api_links, button_in, clipboard, find, plain, puts,  # noqa: E402
                        set_faults)
import notifyd  # noqa: E402

USER_KEY = 'sk-demo-user'
USER_ID = 'a7b3c1d2-0002-4c5e-9f10-5a6b7c8d9e02'
USER_NAME = 'Ulrich User'
SWITCH_ROLES = ('toggle button', 'switch', 'check box')


def download(share_link, extra=''):
    """An anonymous download through the link, as a visitor's browser would; `extra` adds
    '&format=pdf' (download as another format, FileDownloadedAs 5010, which counts too)."""
    with urllib.request.urlopen(share_link + '?download=1' + extra, timeout=10) as answer:
        answer.read()
        return answer.status


def api_create_link(url, kind, item_id, title, expires):
    path = {'file': 'files/file/%s/links', 'folder': 'files/folder/%s/links'}[kind] % item_id
    body = {'access': 2, 'title': title, 'internal': False,
            'expirationDate': expires.isoformat()}
    request = urllib.request.Request('%s/api/2.0/%s' % (url, path), method='PUT',
                                     data=json.dumps(body).encode(), headers={
                                         'Authorization': 'Bearer ' + benchlib.OWNER_KEY,
                                         'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)['response']['sharedLink']


def main():
    if shutil.which('xclip') is None:
        return skip_all('xclip is missing')
    s = e2elib.Scenario('temp', 0.2)
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, rawinput, artifacts, env, dump = s.t, s.rawinput, s.artifacts, s.env, s.dump
    env['XDG_DATA_HOME'] = os.path.join(s.work, 'data')
    store_path = os.path.join(env['XDG_DATA_HOME'], 'docspace-links', 'guarded-links.json')
    notify_log = os.path.join(s.work, 'notifications.jsonl')
    url = None

    def root():
        return s.root

    def shot(name):
        return benchlib.screenshot(os.path.join(artifacts, name))

    def log_size():
        return len(benchlib.sim_requests(url))

    def log_since(start):
        return benchlib.sim_requests(url)[start:]

    def start(*args):
        s.start_app(*args)

    def portal_list(name):
        node = benchlib.tree_list(root(), 30)
        if node is None or benchlib.find_row(node, name, 30) is None:
            raise RuntimeError('no tree with "%s" (%s)' % (name, dump('tree')))
        return node

    def links_list():
        node = wait_for(lambda: find(root(), 'Links', ('list', 'list box')), 20)
        if node is None:
            raise RuntimeError('no list "Links" in the sidebar (%s)' % dump('links'))
        return node

    def row_titles():
        try:
            return [n.name for n in links_list().children if n.roleName in benchlib.ROW_ROLES]
        except Exception:
            return []

    def label(words, timeout=15):
        return wait_for(lambda: root().findChild(
            lambda n: n.roleName == 'label' and (n.name or '').startswith(words),
            retry=False, requireResult=False), timeout)

    def open_editor():
        """Share Temporarily… for the selected item; the editor's "Limit downloads" switch once
        the audit probe has answered (its subtitle no longer says it is checking)."""
        share = button_in(root(), 'Share Temporarily…')
        if share is None:
            raise RuntimeError('no "Share Temporarily…" button (%s)' % dump('share'))
        press(share)
        switch = wait_for(lambda: find(root(), 'Limit downloads', SWITCH_ROLES), 15)
        if switch is None:
            raise RuntimeError('the temporary link editor did not open (%s)' % dump('editor'))
        wait_for(lambda: label('Checking whether the portal can count', 0.5) is None, 20)
        return switch

    def editor():
        """The temporary link editor's window (not the sidebar, which has a "Create and
        Copy" of its own for an item without links)."""
        node = wait_for(lambda: root().findChild(
            lambda n: n.roleName in ('frame', 'dialog', 'window', 'filler')
            and plain(n.name) == 'Share Temporarily', recursive=False,
            retry=False, requireResult=False), 10)
        if node is None:
            raise RuntimeError('no window "Share Temporarily" (%s)' % dump('editor-window'))
        return node

    def close_editor():
        rawinput.pressKey('Escape')
        wait_for(lambda: find(root(), 'Limit downloads', SWITCH_ROLES) is None, 10)

    def first_notification(words):
        """The first notification whose body holds `words` (waiting up to 20 s), or None."""
        found = notifyd.wait_for(notify_log, lambda notes: any(
            words in n.get('body', '') for n in notes), 20) or []
        return next((n for n in found if words in n.get('body', '')), None)

    def quit_app():
        status = s.quit_app()
        s.root = None
        return status

    with s:
        daemon = notifyd.start(notify_log)
        s.on_exit(lambda: notifyd.stop(daemon))
        url = s.start_simulator()
        s.on_exit(lambda: benchlib.clear_secret(env, url, USER_ID))
        s.seed_account()
        start()
        t.check('the app shows up in the accessibility tree', root() is not None)

        # --- Share Temporarily… with a limit of 2 on 402 "Notes.txt" ---
        tree_rows = portal_list('Notes.txt')
        benchlib.focus_row(tree_rows, 'Notes.txt')
        switch = open_editor()
        t.check('"Limit downloads" is offered to an administrator', switch.sensitive,
                dump('limit'))
        access = find(root(), 'Access', ('combo box',))
        t.check('the access of a temporary link is View only and cannot be changed',
                access is not None and not access.sensitive and 'View only' in
                ' '.join(n.name for n in access.findChildren(lambda n: True, recursive=True)
                         if n.name), dump('access'))
        press(switch)
        spin = wait_for(lambda: find(root(), 'Download limit', ('spin button', 'text',
                                                                'entry')), 10)
        t.check('the download limit becomes editable', spin is not None and spin.sensitive)
        set_text(spin, '2')
        rawinput.pressKey('Tab')
        started = log_size()
        press(button_in(editor(), 'Create and Copy'))
        toast = e2elib.find_toast(root(), 'Temporary link created and copied')
        links = wait_for(lambda: api_links(url, 'file', '402'), 15) or []
        sent = puts(log_since(started), '/api/2.0/files/file/402/links')
        body = sent[-1]['body'] if sent else {}
        t.check('"Create and Copy" sent a new View only link with an expiry',
                len(sent) == 1 and 'linkId' not in body and body.get('access') == 2
                and bool(body.get('expirationDate')), sent)
        t.check('the simulator holds the temporary link', len(links) == 1, links)
        link = links[0] if links else {}
        t.check('the clipboard holds its shareLink',
                bool(link) and wait_for(lambda: clipboard() == link['shareLink'], 10),
                'clipboard %r' % clipboard())
        t.check('a toast says "Temporary link created and copied"', toast is not None)
        counter = label('Temporary link: 0 of 2 downloads')
        t.check('its row says "Temporary link: 0 of 2 downloads"', counter is not None,
                dump('counter'))
        recent = wait_for(lambda: find(root(), 'Activity', ('list', 'list box')), 15)
        created = recent and wait_for(lambda: find(recent, 'Link created',
                                                   benchlib.ROW_ROLES), 15)
        t.check('the Activity section, empty before, now lists "Link created"',
                created is not None, dump('activity-created'))
        shot('temporary-link.png')
        with open(store_path) as handle:
            stored = handle.read()
        record = [r for a in json.loads(stored).get('accounts', {}).values()
                  for r in (a if isinstance(a, list) else a.get('links', []))
                  if r.get('linkId') == link.get('id')] if link else []
        t.check('the store file holds the link with its limit',
                len(record) == 1 and record[0].get('downloadLimit') == 2
                and record[0].get('itemId') == '402', stored)
        t.check('the store file holds no password or key',
                benchlib.OWNER_KEY not in stored and 'password' not in stored.lower())

        # --- two downloads, then Check Now ---
        statuses = ([download(link['shareLink']), download(link['shareLink'], '&format=pdf')]
                    if link else [])
        t.check('two anonymous downloads through the link, the second as PDF',
                statuses == [200, 200], statuses)
        started = log_size()
        press(button_in(root(), 'Main Menu'))
        item = wait_for(lambda: root().findChild(
            lambda n: plain(n.name) == 'Check Temporary Links Now' and 'menu' in n.roleName,
            retry=False, requireResult=False), 10)
        if item is None:
            raise RuntimeError('no "Check Temporary Links Now" in the main menu (%s)'
                               % dump('menu'))
        press(item)
        toast = e2elib.find_toast(root(), '1 temporary link revoked', 20)
        sent = wait_for(lambda: puts(log_since(started), '/api/2.0/files/file/402/links'), 20)
        t.check('Check Now sent access 0 for exactly that link',
                bool(sent) and len(sent) == 1
                and sent[0]['body'].get('linkId') == link.get('id')
                and sent[0]['body'].get('access') == 0
                # the link's full state as read (docspace-api.md §6.1), not a bare delete
                and sent[0]['body'].get('title') == link.get('title'), sent)
        t.check('the link is gone from the portal', api_links(url, 'file', '402') == [])
        t.check('the link is gone from the sidebar',
                wait_for(lambda: link.get('title') not in row_titles(), 10), row_titles())
        t.check('a toast says "1 temporary link revoked"', toast is not None)
        activity = wait_for(lambda: find(root(), 'Temporary link events', ('list', 'list box')),
                            15)
        event = activity and wait_for(lambda: find(
            activity, 'Temporary link revoked: 2 downloads reached', benchlib.ROW_ROLES), 10)
        t.check('the item\'s Activity shows the revocation by DocSpace Links', bool(event),
                dump('activity'))
        note = first_notification('Notes.txt')
        t.check('a desktop notification names the item and the limit',
                note is not None and note.get('summary') == 'Temporary Link Revoked'
                and 'limit of 2 downloads' in note.get('body', ''),
                notifyd.notifications(notify_log))
        with open(store_path) as handle:
            stored = json.load(handle)
        records = [r for a in stored.get('accounts', {}).values()
                   for r in (a if isinstance(a, list) else a.get('links', []))
                   if r.get('linkId') == link.get('id')]
        t.check('the store says revoked-limit, with when',
                len(records) == 1 and records[0].get('state') == 'revoked-limit'
                and bool(records[0].get('revoked')), records)

        status = quit_app()
        t.check('Ctrl+Q quits the app cleanly', status == 0, 'exit status %s' % status)

        # --- catch-up: a guarded link that expired while the app was closed ---
        # the guard revokes only what the portal says has expired, and the portal takes no
        # date in the past: the link expires in two seconds, while the app is closed
        soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
        expiring = api_create_link(url, 'file', '401', 'Expires while closed', soon)
        time.sleep(3.0)
        with open(store_path) as handle:
            stored = json.load(handle)
        account = '%s %s' % (benchlib.OWNER_ID, url)
        past = (datetime.datetime.now(datetime.timezone.utc)
                - datetime.timedelta(minutes=5)).replace(microsecond=0)
        record = {'linkId': expiring['id'], 'itemId': '401', 'itemKind': 'file',
                  'itemTitle': 'Q3 report.docx', 'shareLink': expiring['shareLink'],
                  'downloadLimit': 0, 'created': (past - datetime.timedelta(hours=1)).isoformat(),
                  'expires': past.isoformat(), 'state': 'active', 'downloads': -1}
        accounts = stored.setdefault('accounts', {})
        entry = accounts.setdefault(account, [])
        (entry if isinstance(entry, list) else entry.setdefault('links', [])).append(record)
        with open(store_path, 'w') as handle:
            json.dump(stored, handle)
        started = log_size()
        start()
        sent = wait_for(lambda: puts(log_since(started), '/api/2.0/files/file/401/links'), 30)
        t.check('on start the expired guarded link was revoked (access 0)',
                bool(sent) and sent[0]['body'].get('linkId') == expiring['id']
                and sent[0]['body'].get('access') == 0
                and 'internal' in sent[0]['body'], sent)
        t.check('it is gone from the portal',
                expiring['id'] not in [l['id'] for l in api_links(url, 'file', '401')])
        note = first_notification('Q3 report.docx')
        t.check('its notification says it expired',
                note is not None and 'expired' in note.get('body', ''),
                notifyd.notifications(notify_log))

        # --- a plan without audit ---
        tree_rows = portal_list('Notes.txt')
        benchlib.focus_row(tree_rows, 'Notes.txt')
        for profile, words in (('audit402', 'does not include the audit trail'),
                               ('audit-unfiltered', 'ignores the audit trail filters')):
            set_faults(url, profile)
            switch = open_editor()
            reason = wait_for(lambda: root().findChild(
                lambda n: n.roleName == 'label' and words in (n.name or ''),
                retry=False, requireResult=False), 15)
            t.check('%s: "Limit downloads" is off with the reason' % profile,
                    not switch.sensitive and reason is not None, dump(profile))
            close_editor()
            set_faults(url, 'none')

        status = quit_app()
        t.check('Ctrl+Q quits again', status == 0, 'exit status %s' % status)

        # --- not an administrator: Ulrich in his room "Marketing" ---
        benchlib.seed_account(env, url, USER_KEY, USER_ID, USER_NAME)
        start()
        tree_rows = portal_list('Marketing')
        benchlib.focus_row(tree_rows, 'Marketing')
        switch = open_editor()
        reason = wait_for(lambda: root().findChild(
            lambda n: n.roleName == 'label'
            and 'Only portal administrators' in (n.name or ''),
            retry=False, requireResult=False), 15)
        t.check('for a room manager "Limit downloads" is off with the reason',
                not switch.sensitive and reason is not None, dump('not-admin'))
        shot('temporary-link-not-admin.png')
        close_editor()
        status = quit_app()
        t.check('Ctrl+Q quits the room manager\'s window cleanly', status == 0,
                'exit status %s' % status)
    return s.finish(secrets=(benchlib.OWNER_KEY, USER_KEY))


if __name__ == '__main__':
    sys.exit(main())
