#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: the link sidebar of a signed-in window, driven through the accessibility tree.

Starts docspace-sim, a small HTTP proxy in front of it (it answers chosen requests with the
portal's 403 and 400 error bodies from tests/data, so those refusals can be staged; everything
else is passed through) and the app signed in as Olivia Owner through the proxy with no typing.
Then with dogtail, selecting items in the tree (list "Portal") and using the sidebar:
  - 402 "Notes.txt" (no links): "Create and Copy" creates the primary link (POST …/link) and the
    clipboard (xclip) holds exactly its shareLink;
  - 401 "Q3 report.docx": both links listed, primary first; "Copy link" copies a row's link;
    Ctrl+C on the tree row copies the primary link; the row's menu "Copy as Rich Link" gives
    text/html (an anchor with the title) and text/plain (the address), "Copy as Message" a
    message with title, address, audience and expiry, each read back with xclip -t TARGET;
    "Add Link" opens the editor: a link with a
    password and the default expiry is created (PUT without linkId, password and
    expirationDate sent) and listed; Edit… renames it (PUT with its linkId, full state);
    "Revoke link" asks "Revoke Link?", and after Revoke the simulator got access 0 for that id
    and the row is gone;
  - 501 "Drafts" (folder): its primary link is listed and revoked the same way;
  - 101 "Marketing" (custom room): external links and the invitation link apart; a screenshot
    of the sidebar with links in several states (primary, expired and dimmed, password) is kept
    as tests/artifacts/links-sidebar.png, the rest of it (portal users only, the invitation
    link) scrolled into view as links-sidebar-invitation.png; "Remove" on
    the expired "Old preview" (confirmed) deletes it (access 0);
  - 106 "Full Room": "Add Link" is insensitive and says the limit;
  - 102 "Press Kit" (public room): revoking the primary link regenerates it: a new link is shown;
  - refusals change nothing: 403 (revoke answered with the portal's "Access denied"), 400
    (a save answered with the password policy), 500 (the simulator's error500 fault on Create
    and Copy) each show their message, and the simulator's links stay as they were;
  - Ctrl+Q quits cleanly; no warnings or criticals in the app's output, the key never in it.

Prints TAP. Needs a display and an accessibility bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP (executables), DSL_ARTIFACTS (screenshots and logs),
GSETTINGS_SCHEMA_DIR (the build's data directory).
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, dogtail, the app; puts tests/bench on the path)
from e2elib import (ENTRY_ROLES, benchlib, press, set_text, skip_all,  # noqa: E402
                    wait_for)

DATA = os.path.join(os.path.dirname(HERE), 'data')
BUTTON_ROLES = ('push button', 'toggle button')


# --- a proxy that can answer in the portal's place ------------------------------------------

class FaultProxy(benchlib.Proxy):
    """benchlib.Proxy (127.0.0.1, a free port, forwarding to the simulator), except for the
    next request matching an armed fault, which gets the fault's status and body instead (and so
    never reaches the simulator)."""

    def __init__(self, target_url):
        self.fault = None
        self.injected = []
        super().__init__(target_url)

    def arm(self, method, path, status, fixture):
        with open(os.path.join(DATA, fixture), 'rb') as handle:
            data = handle.read()
        with self.lock:
            self.fault = (method, path, status, data)

    def answer_instead(self, method, path):
        with self.lock:
            if self.fault is None or self.fault[0] != method or self.fault[1] != path:
                return None
            fault, self.fault = self.fault, None
        self.injected.append((method, path, fault[2]))
        return fault[2], fault[3]


# --- the simulator --------------------------------------------------------------------------

def set_faults(url, profile):
    request = urllib.request.Request(url + '/__sim/faults', method='POST',
                                     data=json.dumps({'profile': profile}).encode(),
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def api_links(url, kind, item_id, query=''):
    """The links the simulator holds for an item, read with the owner's key (not logged by the
    app; the request log does record it, so callers count only the app's requests by path)."""
    path = {'file': 'files/file/%s/links', 'folder': 'files/folder/%s/links',
            'room': 'files/rooms/%s/links'}[kind] % item_id
    request = urllib.request.Request('%s/api/2.0/%s%s' % (url, path, query), headers={
        'Authorization': 'Bearer ' + benchlib.OWNER_KEY})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return [entry['sharedLink'] for entry in json.load(answer).get('response', [])]


def puts(requests, path):
    return [r for r in requests if r.get('method') == 'PUT' and r.get('path') == path]


def clipboard(target=None):
    """The clipboard as xclip reads it: the default text, or one target ("text/html"; TARGETS
    lists them)."""
    command = ['xclip', '-selection', 'clipboard', '-o']
    if target is not None:
        command += ['-t', target]
    result = subprocess.run(command, capture_output=True, timeout=10)
    return result.stdout.decode(errors='replace')


# --- the window through dogtail (nodes are dogtail.tree.Node) -------------------------------

def plain(name):
    """An accessible name as a person reads it. GTK 4.8 names a widget with a mnemonic label
    "_Revoke Revoke" (its label property, then the label it is labelled by), and one with an
    accessible label and a labelling widget "Link name Link name": both become "Revoke" and
    "Link name" here."""
    name = (name or '').replace('_', '')
    half = len(name) // 2
    if len(name) % 2 == 1 and name[half] == ' ' and name[:half] == name[half + 1:]:
        return name[:half]
    return name


def find(parent, name, roles=None):
    return parent.findChild(lambda n: plain(n.name) == name
                            and (roles is None or n.roleName in roles),
                            retry=False, requireResult=False)


def button_in(parent, name, timeout=20):
    """The button named `name` below `parent` (for a GtkMenuButton, the button inside it)."""
    return wait_for(lambda: parent.findChild(
        lambda n: plain(n.name) == name and n.roleName in BUTTON_ROLES
        and not any(c.roleName in BUTTON_ROLES for c in n.children),
        retry=False, requireResult=False), timeout)


def sensitive(node):
    return bool(node.sensitive)


def main():
    if shutil.which('xclip') is None:
        return skip_all('xclip is missing')
    s = e2elib.Scenario('links', 0.2)
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, rawinput, artifacts, env, dump = s.t, s.rawinput, s.artifacts, s.env, s.dump
    url = None

    def shot(name):
        return benchlib.screenshot(os.path.join(artifacts, name))

    def log_since(start):
        return benchlib.sim_requests(url)[start:]

    def log_size():
        return len(benchlib.sim_requests(url))

    with s:
        url = s.start_simulator()
        proxy = FaultProxy(url)
        s.on_exit(proxy.stop)
        portal = proxy.url
        benchlib.seed_account(env, portal)
        s.on_exit(lambda: benchlib.clear_secret(env, portal))
        root = s.start_app()
        t.check('the app shows up in the accessibility tree', root is not None)

        portal_list = benchlib.tree_list(root, 30)
        if portal_list is None or benchlib.find_row(portal_list, 'Q3 report.docx', 30) is None:
            raise RuntimeError('no tree with "Q3 report.docx":\n'
                               + '\n'.join(benchlib.dump_tree(root, limit=80)))

        def links_list():
            node = wait_for(lambda: find(root, 'Links', ('list', 'list box')), 20)
            if node is None:
                raise RuntimeError('no list "Links" in the sidebar:\n'
                                   + '\n'.join(benchlib.dump_tree(root, limit=150)))
            return node

        def select(name):
            benchlib.focus_row(portal_list, name)

        def link_row(title, timeout=20):
            return wait_for(lambda: find(links_list(), title, benchlib.ROW_ROLES), timeout)

        def row_titles():
            try:
                return [n.name for n in links_list().children
                        if n.roleName in benchlib.ROW_ROLES]
            except Exception:
                return []

        def dialog_button(name):
            """A button of the confirmation dialog (a window of its own)."""
            return wait_for(lambda: root.findChild(
                lambda n: plain(n.name) == name and n.roleName == 'push button'
                and benchlib.row_of(n) is None and n.parent is not None
                and any(a.roleName in ('dialog', 'alert') for a in _ancestors(n)),
                retry=False, requireResult=False), 15)

        def toast(words, timeout=15):
            return e2elib.find_toast(root, words, timeout)

        def confirm(row, button_name, answer):
            """Presses `button_name` in `row`, then `answer` in the dialog; returns the
            dialog's heading and body as shown."""
            press(button_in(row, button_name))
            answer_button = dialog_button(answer)
            if answer_button is None:
                raise RuntimeError('no "%s" in a confirmation dialog (%s)' % (
                    answer, dump('dialog')))
            dialog = [a for a in _ancestors(answer_button) if a.roleName in ('dialog', 'alert')]
            texts = [n.name for n in dialog[0].findChildren(
                lambda n: n.roleName == 'label', recursive=True)] if dialog else []
            press(answer_button)
            return texts

        # --- Create and Copy on an item without links (402 "Notes.txt") ---
        select('Notes.txt')
        create = button_in(root, 'Create and Copy')
        t.check('"Notes.txt" has no links and offers "Create and Copy"', create is not None,
                dump('create-and-copy'))
        start = log_size()
        press(create)
        said = toast('Link created and copied')
        created = wait_for(lambda: link_row('Shared link', 1))
        t.check('"Create and Copy" lists the new primary link', created is not None)
        links = api_links(url, 'file', '402')
        copied = wait_for(lambda: clipboard() == links[0]['shareLink'] and clipboard(), 10)
        t.check('the clipboard holds exactly the new link\'s shareLink',
                len(links) == 1 and copied == links[0]['shareLink'],
                'clipboard %r, links %r' % (clipboard(), links))
        posts = [r for r in log_since(start) if r['method'] == 'POST'
                 and r['path'] == '/api/2.0/files/file/402/link']
        t.check('one POST files/file/402/link (get-or-create)', len(posts) == 1,
                [(r['method'], r['path']) for r in log_since(start)])
        t.check('a toast says "Link created and copied"', said is not None)

        # --- a file: 401 "Q3 report.docx" ---
        start = log_size()
        select('Q3 report.docx')
        blocked = link_row('Download blocked')
        titles = row_titles()
        t.check('401 lists its primary link first, then "Download blocked"',
                titles[:2] == ['Shared link', 'Download blocked'], titles)
        gets = [r for r in log_since(start) if r['path'].startswith('/api/2.0/files/file/401')]
        t.check('selecting 401 read its links with one request',
                [(r['method'], r['path']) for r in gets]
                == [('GET', '/api/2.0/files/file/401/links')], gets)
        q3 = {l['title']: l for l in api_links(url, 'file', '401')}
        press(button_in(blocked, 'Copy link'))
        said = toast('Link copied')
        t.check('"Copy link" on "Download blocked" copies its shareLink',
                wait_for(lambda: clipboard() == q3['Download blocked']['shareLink'], 10),
                'clipboard %r' % clipboard())
        t.check('a toast says "Link copied"', said is not None)

        benchlib.focus_row(portal_list, 'Q3 report.docx')
        rawinput.keyCombo('<Control>c')
        t.check('Ctrl+C on the tree row copies the primary link',
                wait_for(lambda: clipboard() == q3['Shared link']['shareLink'], 10),
                'clipboard %r' % clipboard())

        # The other copy formats, from the row's menu, read back target by target.
        def copy_from_menu(row_title, item_name, words):
            press(button_in(link_row(row_title), 'Link Menu'))
            item = wait_for(lambda: root.findChild(
                lambda n: plain(n.name) == item_name and 'menu' in n.roleName,
                retry=False, requireResult=False), 10)
            if item is None:
                raise RuntimeError('no "%s" in the link menu (%s)' % (item_name, dump('menu')))
            press(item)
            return toast(words)

        blocked_url = q3['Download blocked']['shareLink']
        said = copy_from_menu('Download blocked', 'Copy as Rich Link',
                              'Link copied with its title')
        html = wait_for(lambda: (lambda h: h if blocked_url in h else None)(
            clipboard('text/html')), 10)
        t.check('"Copy as Rich Link" offers text/html: an anchor with the item and link title',
                html == '<a href="%s">Q3 report.docx — Download blocked</a>' % blocked_url,
                'text/html %r' % clipboard('text/html'))
        t.check('and text/plain: the address alone', clipboard('text/plain') == blocked_url,
                'text/plain %r' % clipboard('text/plain'))
        t.check('its targets include text/html and text/plain',
                {'text/html', 'text/plain'} <= set(clipboard('TARGETS').split()),
                clipboard('TARGETS'))
        t.check('a toast says "Link copied with its title"', said is not None)

        said = copy_from_menu('Download blocked', 'Copy as Message', 'Message copied')
        # Plain "text/plain" is ASCII in GDK (other characters escaped, as X11 wants it):
        # UTF-8 text is read as text/plain;charset=utf-8, or as UTF8_STRING (xclip's default).
        message = wait_for(lambda: (lambda m: m if m != blocked_url and blocked_url in m
                                    else None)(clipboard('text/plain;charset=utf-8')), 10) or ''
        t.check('"Copy as Message" puts a message on the clipboard: title, link, who can open '
                'it, expiry', message.startswith('“Q3 report.docx — Download blocked”')
                and blocked_url in message and 'can open it:' in message
                and ('Expires on' in message or 'Does not expire' in message),
                'text/plain;charset=utf-8 %r' % message)
        t.check('UTF8_STRING holds the same message', clipboard() == message)
        t.check('the message has no HTML target', 'text/html' not in clipboard('TARGETS'),
                clipboard('TARGETS'))
        t.check('a toast says "Message copied"', said is not None)

        # Add a link with a password (and the form's default expiry, 7 days).
        add = button_in(root, 'Add Link')
        t.check('"Add Link" is offered for 401', add is not None and sensitive(add))
        editor_ok = False
        if add is not None:
            start = log_size()
            press(add)
            name = wait_for(lambda: find(root, 'Link name', ENTRY_ROLES), 10)
            if name is None:
                t.skip('add a link with a password and an expiry',
                       'the link editor did not open (%s)' % dump('editor'))
            else:
                set_text(name, 'E2E partners')
                press(wait_for(lambda: find(root, 'Require password', ('toggle button', 'switch',
                                                                   'check box')), 10))
                password = wait_for(lambda: find(root, 'Password', ENTRY_ROLES), 10)
                set_text(password, 'E2eSecret!42')
                press(button_in(root, 'Save'))
                new_row = link_row('E2E partners')
                sent = puts(log_since(start), '/api/2.0/files/file/401/links')
                body = sent[-1]['body'] if sent else {}
                t.check('Save created the link: PUT without linkId, with the password and an '
                        'expiry', new_row is not None and 'linkId' not in body
                        and body.get('password') == 'E2eSecret!42'
                        and bool(body.get('expirationDate')), body)
                stored = {l['title']: l for l in api_links(url, 'file', '401')}
                t.check('the simulator holds "E2E partners" with its password and expiry',
                        stored.get('E2E partners', {}).get('password') == 'E2eSecret!42'
                        and bool(stored.get('E2E partners', {}).get('expirationDate')),
                        stored.get('E2E partners'))
                editor_ok = new_row is not None

        if editor_ok:
            # Edit it: rename from the row's menu.
            start = log_size()
            row = link_row('E2E partners')
            press(button_in(row, 'Link Menu'))
            edit = wait_for(lambda: root.findChild(lambda n: plain(n.name) in ('Edit…', 'Edit')
                                               and 'menu' in n.roleName,
                                               retry=False, requireResult=False), 10)
            press(edit)
            name = wait_for(lambda: find(root, 'Link name', ENTRY_ROLES), 10)
            set_text(name, 'E2E partners (renamed)')
            press(button_in(root, 'Save'))
            renamed = link_row('E2E partners (renamed)')
            sent = puts(log_since(start), '/api/2.0/files/file/401/links')
            body = sent[-1]['body'] if sent else {}
            t.check('Edit… renamed the link: PUT with its linkId and the full state',
                    renamed is not None
                    and body.get('linkId') == stored['E2E partners']['id']
                    and body.get('title') == 'E2E partners (renamed)'
                    and body.get('password') == 'E2eSecret!42', body)
        else:
            t.skip('edit a link', 'no link was added with the editor')

        # Revoke with confirmation.
        start = log_size()
        texts = confirm(link_row('Download blocked'), 'Revoke link', 'Revoke')
        said = toast('Link revoked')
        t.check('"Revoke link" asks "Revoke Link?" and spells out the consequence',
                'Revoke Link?' in texts and any('will lose access' in x for x in texts), texts)
        gone = wait_for(lambda: 'Download blocked' not in row_titles() and row_titles())
        sent = puts(log_since(start), '/api/2.0/files/file/401/links')
        t.check('the simulator received access 0 with the link\'s state for "Download blocked"',
                len(sent) == 1 and sent[0]['body'].get('linkId') == q3['Download blocked']['id']
                and sent[0]['body'].get('access') == 0
                and sent[0]['body'].get('title') == 'Download blocked'
                and sent[0]['body'].get('denyDownload') is True,
                sent)
        t.check('"Download blocked" is gone from the sidebar and the portal', bool(gone) and
                'Download blocked' not in [l['title'] for l in api_links(url, 'file', '401')],
                row_titles())
        t.check('a toast says "Link revoked"', said is not None)

        # --- a folder: 501 "Drafts" ---
        select('Drafts')
        drafts = api_links(url, 'folder', '501')
        primary = link_row(drafts[0]['title'])
        t.check('the folder "Drafts" lists its primary link', primary is not None, row_titles())
        start = log_size()
        confirm(primary, 'Revoke link', 'Revoke')
        wait_for(lambda: drafts[0]['title'] not in row_titles())
        sent = puts(log_since(start), '/api/2.0/files/folder/501/links')
        t.check('revoking the folder\'s link sent access 0 and the folder has no links now',
                len(sent) == 1 and sent[0]['body'].get('access') == 0
                and api_links(url, 'folder', '501') == [], sent)
        t.check('the folder offers "Create and Copy" again',
                button_in(root, 'Create and Copy') is not None)

        # --- a custom room: 101 "Marketing" ---
        select('Marketing')
        wait_for(lambda: link_row('Staff only'))
        invitation = wait_for(lambda: find(root, 'Invitation Link', ('list', 'list box')))
        titles = row_titles()
        t.check('"Marketing" lists its four external links, primary first',
                titles == ['Shared link', 'Old preview', 'Partners', 'Staff only'], titles)
        t.check('"Marketing" shows its invitation link apart', invitation is not None and
                find(invitation, 'Invitation link', benchlib.ROW_ROLES) is not None)
        old = link_row('Old preview')
        t.check('the expired "Old preview" offers "Remove" and "Extend"',
                button_in(old, 'Remove') is not None and button_in(old, 'Extend') is not None)
        sidebar = shot('links-sidebar.png')
        colours = benchlib.colour_count(sidebar)
        t.check('the screenshot of the sidebar shows a drawn window', colours > 16,
                '%s has %d colours' % (sidebar, colours))
        # The rest of the sidebar (the last links, the invitation link): the mouse wheel over it.
        partners = find(link_row('Partners'), 'Partners', ('label',))
        if partners is not None:
            for _ in range(8):
                partners.click(button=5)
                time.sleep(0.1)
            shot('links-sidebar-invitation.png')
        start = log_size()
        old_id = [l['id'] for l in api_links(url, 'room', '101', '?type=1')
                  if l['title'] == 'Old preview'][0]
        texts = confirm(old, 'Remove', 'Remove')
        wait_for(lambda: 'Old preview' not in row_titles())
        sent = puts(log_since(start), '/api/2.0/files/rooms/101/links')
        t.check('"Remove" on the expired link is confirmed, then sends access 0 for it',
                len(sent) == 1 and sent[0]['body'].get('linkId') == old_id
                and sent[0]['body'].get('access') == 0, (texts, sent))
        t.check('"Old preview" is gone', 'Old preview' not in row_titles() and
                'Old preview' not in [l['title'] for l in api_links(url, 'room', '101')])

        # --- the limit: 106 "Full Room" ---
        select('Full Room')
        wait_for(lambda: len(row_titles()) >= 6)
        add = button_in(root, 'Add Link')
        description = add.description if add is not None else None
        t.check('"Full Room" is at its limit: "Add Link" is insensitive', add is not None
                and not sensitive(add), benchlib.dump_tree(root, limit=60))
        t.check('"Add Link" says the limit', description is not None and '5' in description
                and 'at most' in description, description)

        # --- a public room: 102 "Press Kit" ---
        select('Press Kit')
        before = [l for l in api_links(url, 'room', '102', '?type=1') if l.get('primary')][0]
        row = link_row(before['title'])
        start = log_size()
        texts = confirm(row, 'Revoke link', 'Revoke')
        t.check('revoking the public room\'s primary link says a new link replaces it',
                any('A new link replaces it' in x for x in texts), texts)
        after = wait_for(lambda: [l for l in api_links(url, 'room', '102', '?type=1')
                              if l.get('primary') and l['id'] != before['id']])
        shown = wait_for(lambda: find(links_list(), after[0]['shareLink'], ('label',))
                     if after else None)
        t.check('a new primary link replaces it and is shown', bool(after) and shown is not None,
                (before, after, row_titles()))

        # --- refusals change nothing ---
        # 403: the portal refuses a revoke.
        select('Q3 report.docx')
        row = link_row('Shared link')
        links_before = api_links(url, 'file', '401')
        proxy.arm('PUT', '/api/2.0/files/file/401/links', 403, 'error-403-access-denied.json')
        with open(os.path.join(DATA, 'error-403-access-denied.json')) as handle:
            denied = json.load(handle)['error']['message']
        confirm(row, 'Revoke link', 'Revoke')
        message = wait_for(lambda: find(link_row('Shared link'), denied, ('label',)))
        t.check('403: the row stays with the portal\'s message', message is not None,
                (denied, benchlib.dump_tree(links_list(), limit=60)))
        t.check('403: nothing changed on the portal', api_links(url, 'file', '401') == links_before)

        # 400: the portal refuses a save (its password policy).
        if editor_ok:
            proxy.arm('PUT', '/api/2.0/files/file/401/links', 400, 'error-400-password.json')
            with open(os.path.join(DATA, 'error-400-password.json')) as handle:
                policy = json.load(handle)['error']['message']
            press(button_in(link_row('E2E partners (renamed)'), 'Link Menu'))
            press(wait_for(lambda: root.findChild(lambda n: plain(n.name) in ('Edit…', 'Edit')
                                              and 'menu' in n.roleName,
                                              retry=False, requireResult=False), 10))
            set_text(wait_for(lambda: find(root, 'Link name', ENTRY_ROLES), 10), 'Refused name')
            press(button_in(root, 'Save'))
            shown = wait_for(lambda: root.findChild(lambda n: n.roleName == 'label'
                                                and policy in n.name,
                                                retry=False, requireResult=False))
            t.check('400: the editor shows the portal\'s message', shown is not None,
                    benchlib.dump_tree(root, limit=120))
            rawinput.pressKey('Escape')
            time.sleep(1.0)
            t.check('400: nothing changed on the portal',
                    api_links(url, 'file', '401') == links_before)
        else:
            t.skip('400: a refused save shows the portal\'s message', 'no link editor')

        # 500: the simulator's error500 fault on Create and Copy.
        select('Drafts')
        create = button_in(root, 'Create and Copy')
        set_faults(url, 'error500,path=/api/2.0/files/folder/501')
        press(create)
        message = wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'label' and 'The portal answered with an error' in n.name,
            retry=False, requireResult=False))
        set_faults(url, 'none')
        t.check('500: "Create and Copy" shows the message', message is not None,
                benchlib.dump_tree(root, limit=120))
        t.check('500: nothing changed on the portal', api_links(url, 'folder', '501') == [])

        # Quit as a person would; the app must exit by itself, and cleanly.
        status = s.quit_app()
        t.check('Ctrl+Q quits the app cleanly', status == 0, 'exit status %s' % status)
    return s.finish(secrets=(benchlib.OWNER_KEY, 'E2eSecret!42', 'Secret123'))


def _ancestors(node):
    result = []
    node = node.parent
    while node is not None:
        result.append(node)
        node = node.parent
    return result


if __name__ == '__main__':
    sys.exit(main())
