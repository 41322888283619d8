#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: every control's accessible name is said once, in every window and dialog.

Walks the accessibility tree (AT-SPI, as a screen reader reads it) of each window and dialog the
app opens and fails on a name that repeats itself — "Link name Link name", "Access Access", or
"X" followed by "X …" (words compared after normalising white space and dropping underscores) —
or that carries a mnemonic underscore ("_Revoke Revoke", "Sign _Out"); and on a control named
only by its type ("GtkMenuButton", GTK 4.8's stand-in for no name). Each offender is listed with
its role and its path from the window.

Against docspace-sim, first signed out, then signed in as Olivia Owner from the keyring:
  - the sign-in page;
  - the signed-in window with a room's links, its invitation link and activity; the main menu
    and the account menu open; a link row's menu open;
  - the link editor for a new link (Add Link) and for an existing one (Edit…), and Share
    Temporarily…;
  - every confirmation: revoke a link, regenerate a public room's primary link, remove an
    expired link, extend a link someone else changed meanwhile, Find Link's revoke, and the
    checkup's "Remove All Expired…" (each answered with Cancel: nothing changes);
  - Find Link (empty, then resolved), the link checkup, preferences, keyboard shortcuts, about;
  - a narrow (360 px) window showing an item's links alone, with its Back button.

On GTK 4.18 a popover menu opened through AT-SPI shows its items without names: there about is
opened through the application's D-Bus action, and the link editor's Edit… and the keyboard
shortcuts are skipped, saying so.

The walk reads each list's first 40 rows (rows of a list are alike) and at most 6000 nodes per
window. Prints TAP; needs a display and an accessibility bus (build-aux/test-session.sh).
Environment: DSL_SIM, DSL_APP, DSL_ARTIFACTS, GSETTINGS_SCHEMA_DIR.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402  (TAP, dogtail, the app; puts tests/bench on the path)
from e2elib import benchlib, press, skip_all, wait_for  # noqa: E402

LIST_ROLES = ('list', 'list box', 'tree', 'tree table', 'table')
APP_ID = 'io.github.dslinks.DocSpaceLinks'
BUTTON_ROLES = ('push button', 'toggle button', 'button')  # "button": newer AT-SPI
ROWS_PER_LIST = 40
NODES_PER_WINDOW = 6000


# --- what counts as a name said twice ---------------------------------------------------------

def words_of(name):
    """The words a screen reader says, underscores dropped (so "_Revoke Revoke" is two
    "Revoke")."""
    return (name or '').replace('_', '').split()


def repeats_itself(name):
    """True for "X X" and for "X X …": the name's first k words said again right after.
    Words are compared as said: white space normalised, underscores dropped."""
    words = words_of(name)
    for k in range(1, len(words) // 2 + 1):
        if words[:k] == words[k:2 * k]:
            return True
    return False


# A mnemonic underscore: at the start of a word ("_Revoke", "Sign _Out"), or, in a control's
# name, inside one ("Re_voke"). Addresses (share links hold underscores) are not names of that
# kind.
WORD_START_UNDERSCORE = re.compile(r'(?:^|[\s(“"\'])_[^\W\d_]')
INNER_UNDERSCORE = re.compile(r'[^\W_]_[^\W_]')
CONTROL_ROLES = ('push button', 'button', 'toggle button', 'check box', 'radio button',
                 'menu item', 'check menu item', 'radio menu item', 'switch', 'combo box',
                 'page tab', 'spin button', 'link')


def has_mnemonic(name, role):
    if not name or '://' in name:
        return False
    if WORD_START_UNDERSCORE.search(name):
        return True
    return role in CONTROL_ROLES and INNER_UNDERSCORE.search(name) is not None


def word_said_again(name, role):
    """A control's name whose first word comes again — "Revoke link Revoke…", "Copy link Copy
    Link": an accessible label and the visible label said one after the other."""
    if role not in CONTROL_ROLES + ('text', 'password text', 'entry') or '://' in name:
        return False
    words = [w.strip('.,:;!?…()“”"\'').lower() for w in words_of(name)]
    return len(words) > 1 and words[0] in words[1:]


# GTK 4.8 names a control or a window that has no name by its type ("GtkMenuButton",
# "GtkShortcutsWindow"): it has none. (An AdwWindow is a "filler": not checked, as are panels.)
WINDOW_ROLES = ('frame', 'dialog', 'alert', 'window')
TYPE_NAME = re.compile(r'^(?:Gtk|Adw|Dsl)[A-Z]\w+$')


def problem_of(name, role):
    problems = []
    if role in CONTROL_ROLES + WINDOW_ROLES and TYPE_NAME.match(name or ''):
        problems.append('no name but its type')
    if repeats_itself(name) or word_said_again(name, role):
        problems.append('said twice')
    if has_mnemonic(name, role):
        problems.append('mnemonic underscore')
    return problems


# --- walking the tree (Atspi objects: dogtail's nodes are those) ------------------------------

def short(name, limit=40):
    name = ' '.join((name or '').split())
    return name if len(name) <= limit else name[:limit - 1] + '…'


def walk(window, found):
    """Every node below `window` (lists: their first rows); adds (path, role, name, problems)
    of the offenders to `found`. Returns the number of nodes read."""
    from gi.repository import Atspi  # its version chosen by e2elib.load_dogtail
    count = 0
    stack = [(window, ())]
    while stack and count < NODES_PER_WINDOW:
        node, path = stack.pop()
        count += 1
        try:
            name = node.get_name() or ''
            role = node.get_role_name() or ''
            n_children = node.get_child_count()
        except Exception:  # a node gone while it was read (a closing popover)
            continue
        here = path + ('%s "%s"' % (role, short(name)),)
        problems = problem_of(name, role)
        if problems:
            try:
                visible = node.get_state_set().contains(Atspi.StateType.VISIBLE)
            except Exception:
                visible = True
            if not visible:
                problems.append('hidden')
            found.append((' > '.join(here[:-1]), role, name, problems))
        if role in LIST_ROLES:
            n_children = min(n_children, ROWS_PER_LIST)
        children = []
        for i in range(n_children):
            try:
                child = node.get_child_at_index(i)
            except Exception:
                continue
            if child is not None:
                children.append((child, here))
        stack.extend(reversed(children))
    return count


def windows_of(root):
    try:
        return list(root.children)  # toplevels only (an AdwWindow is a "filler" in GTK 4.8)
    except Exception:
        return []


# --- the app through dogtail ------------------------------------------------------------------

def plain(name):
    """A name as the other scripts match it: underscores dropped, a doubled name said once (the
    names this test checks; the finding must work before and after the fix)."""
    words = words_of(name)
    half = len(words) // 2
    if words and len(words) % 2 == 0 and words[:half] == words[half:]:
        words = words[:half]
    return ' '.join(words)


def find(parent, name, roles=None):
    return parent.findChild(lambda n: plain(n.name) == name
                            and (roles is None or n.roleName in roles),
                            retry=False, requireResult=False)


def named(node, name):
    """`node` is named `name`, or `name` and more ("Revoke link Revoke…" before the fix)."""
    said = plain(node.name)
    return said == name or said.startswith(name + ' ')


def button_in(parent, name, timeout=20):
    """The button named `name` below `parent` (for a GtkMenuButton, the button inside it)."""
    return wait_for(lambda: parent.findChild(
        lambda n: named(n, name) and n.roleName in BUTTON_ROLES
        and not any(c.roleName in BUTTON_ROLES for c in n.children),
        retry=False, requireResult=False), timeout)


def api_links(url, path):
    request = urllib.request.Request('%s/api/2.0/%s' % (url, path), headers={
        'Authorization': 'Bearer ' + benchlib.OWNER_KEY})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return [entry['sharedLink'] for entry in json.load(answer).get('response', [])]


def main():
    s = e2elib.Scenario('a11y-names', 0.2)
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, rawinput, dump = s.t, s.rawinput, s.dump
    seen = set()       # offenders reported by an earlier stage (the main window's, once)
    stages = []

    def root():
        return s.root

    def check(stage, windows=None):
        """Walks every window of the app (or `windows`); one TAP line for the stage listing
        the offenders not reported before."""
        time.sleep(0.5)
        found = []
        nodes = 0
        targets = windows if windows is not None else windows_of(root())
        for window in targets:
            nodes += walk(window, found)
        new = []
        for path, role, name, problems in found:
            key = (path, role, name)
            if key not in seen:
                seen.add(key)
                new.append('%s: %s %r at %s' % (', '.join(problems), role, name,
                                                 path or 'the top (the window itself)'))
        stages.append((stage, nodes))
        t.check('%s: every name is said once, without a mnemonic underscore (%d nodes in %d '
                'windows)' % (stage, nodes, len(targets)), not new, '\n'.join(new))
        return nodes

    def window_named(name, timeout=20):
        return wait_for(lambda: next((w for w in windows_of(root())
                                      if plain(w.name) == name), None), timeout)

    def gone(window, timeout=10):
        return wait_for(lambda: all(w != window for w in windows_of(root())), timeout)

    def close(window, keys=('Escape', '<Control>w')):
        """Closes `window` with the keyboard, as a person would."""
        for key in keys:
            rawinput.keyCombo(key)
            if gone(window, 5):
                return True
        return False

    def menu_item(button, item_name):
        """Opens the menu of `button` and returns its item `item_name`; None (the menu closed
        again) when the item is not in the tree: GTK 4.18 leaves a popover menu opened through
        AT-SPI without its items' names."""
        press(button)
        item = wait_for(lambda: root().findChild(
            lambda n: plain(n.name) == item_name and 'menu' in n.roleName,
            retry=False, requireResult=False), 10)
        if item is None:
            rawinput.keyCombo('Escape')
            time.sleep(0.5)
        return item

    def from_main_menu(item_name):
        """Chooses `item_name` in the main menu; returns the window it opened, or None when
        the menu showed no such item (menu_item)."""
        before = windows_of(root())
        item = menu_item(need(button_in(root(), 'Main Menu'), '"Main Menu"'), item_name)
        if item is None:
            return without_menu(item_name)
        press(item)
        return need(new_window(before), 'window from "%s"' % item_name)

    def new_window(before, timeout=20):
        return wait_for(lambda: next((w for w in windows_of(root()) if w not in before),
                                     None), timeout)

    def about_over_dbus():
        """app.about through the application's org.gtk.Actions (what the menu item does)."""
        from gi.repository import Gio, GLib
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        bus.call_sync(APP_ID, '/' + APP_ID.replace('.', '/'), 'org.gtk.Actions', 'Activate',
                      GLib.Variant('(sava{sv})', ('about', [], {})), None,
                      Gio.DBusCallFlags.NONE, 15000, None)

    def without_menu(item_name):
        """The window of the main menu's `item_name` opened without the menu, when the menu
        does not show its items to AT-SPI (GTK 4.18): about through the application's D-Bus
        action. None for the others (the keyboard does not reach a window there that AT-SPI
        activated)."""
        if item_name != 'About DocSpace Links':
            return None
        before = windows_of(root())
        about_over_dbus()
        return new_window(before)

    def skip_menu(stage, item_name):
        t.skip(stage, 'no "%s" in the menu opened through AT-SPI (%s)' % (
            item_name, dump(re.sub(r'\W+', '-', item_name))))

    def need(node, what):
        """`node`, or a RuntimeError naming `what` with the whole tree kept as an artifact."""
        if node is None:
            raise RuntimeError('no %s (%s)' % (what, dump(re.sub(r'\W+', '-', what))))
        return node

    def dialog_with(answer, timeout=15):
        """The confirmation dialog (a window of its own) that has the button `answer`."""
        def search():
            for window in windows_of(root()):
                if plain(window.name) == 'DocSpace Links':
                    continue
                if find(window, answer, BUTTON_ROLES) is not None:
                    return window
            return None
        return wait_for(search, timeout)

    def cancel(dialog):
        press(find(dialog, 'Cancel', BUTTON_ROLES))
        return gone(dialog)

    def confirmation(stage, answer):
        dialog = dialog_with(answer)
        if dialog is None:
            raise RuntimeError('no confirmation with "%s" (%s)' % (answer, dump(stage)))
        check(stage, [dialog])
        t.check('%s: Cancel closes it' % stage, cancel(dialog))

    def menu_open(button_name, stage):
        press(need(button_in(root(), button_name), '"%s"' % button_name))
        time.sleep(1.0)
        check(stage)
        rawinput.keyCombo('Escape')
        time.sleep(0.5)

    with s:
        url = s.start_simulator()

        # --- signed out: the sign-in page ---
        s.start_app()
        if wait_for(lambda: find(root(), 'Sign In', BUTTON_ROLES), 30) is None:
            raise RuntimeError('no "Sign In" on the first start (%s)' % dump('sign-in'))
        check('the sign-in page')
        status = s.quit_app()
        t.check('Ctrl+Q quits the signed-out app', status == 0, 'exit status %s' % status)

        # --- signed in ---
        s.seed_account()
        s.start_app()
        portal_list = benchlib.tree_list(root(), 30)
        if portal_list is None or benchlib.find_row(portal_list, 'Marketing', 30) is None:
            raise RuntimeError('no tree with "Marketing" (%s)' % dump('tree'))

        def links_list():
            node = wait_for(lambda: find(root(), 'Links', ('list', 'list box')), 20)
            if node is None:
                raise RuntimeError('no list "Links" in the sidebar (%s)' % dump('links'))
            return node

        def link_row(title, timeout=20):
            return wait_for(lambda: find(links_list(), title, benchlib.ROW_ROLES), timeout)

        def select(name, first_link):
            benchlib.focus_row(portal_list, name)
            row = link_row(first_link)
            if row is None:
                raise RuntimeError('"%s" shows no link "%s" (%s)' % (name, first_link,
                                                                      dump('select')))
            return row

        old = select('Marketing', 'Old preview')
        wait_for(lambda: find(root(), 'Invitation Link', ('list', 'list box')), 10)
        check('the signed-in window, a room selected')
        menu_open('Main Menu', 'the main menu')
        menu_open('Account', 'the account menu')
        press(need(button_in(old, 'Link Menu'), '"Link Menu"'))
        time.sleep(1.0)
        check('a link\'s menu')
        rawinput.keyCombo('Escape')
        time.sleep(0.5)

        # Remove an expired link: confirmed first.
        press(need(button_in(link_row('Old preview'), 'Remove'), '"Remove"'))
        confirmation('removing an expired link', 'Remove')

        # Extend a link someone else changed meanwhile: asked first.
        old_link = [l for l in api_links(url, 'files/rooms/101/links?type=1')
                    if l['title'] == 'Old preview'][0]
        # Still expired (the checkup's "Remove All Expired…" needs one), but not as it was seen.
        benchlib.change_link(url, old_link['id'], expiration_date='2021-01-01T00:00:00.0000000Z')
        press(need(button_in(link_row('Old preview'), 'Extend'), '"Extend"'))
        confirmation('extending a link changed meanwhile', 'Extend Anyway')

        # --- a file: the editor for a new link and for an existing one; revoke ---
        select('Q3 report.docx', 'Download blocked')
        press(need(button_in(root(), 'Add Link'), '"Add Link"'))
        editor = window_named('New Link')
        if editor is None or wait_for(lambda: find(editor, 'Link name'), 10) is None:
            raise RuntimeError('the link editor did not open (%s)' % dump('editor'))
        check('the link editor (new link)', [editor])
        t.check('Escape closes the new link\'s editor', close(editor))

        edit = menu_item(need(button_in(link_row('Download blocked'), 'Link Menu'),
                              '"Link Menu"'), 'Edit…')
        if edit is None:
            skip_menu('the link editor (editing a link)', 'Edit…')
        else:
            press(edit)
            editor = need(wait_for(lambda: next((w for w in windows_of(root())
                                                 if plain(w.name) == 'Edit Link'), None), 20),
                          'link editor for Edit…')
            check('the link editor (editing a link)', [editor])
            t.check('Escape closes the editor', close(editor))

        share_item = menu_item(need(button_in(link_row('Download blocked'), 'Link Menu'),
                                    '"Link Menu"'), 'Share…')
        if share_item is None:
            skip_menu('the share sheet', 'Share…')
        else:
            before = windows_of(root())
            press(share_item)
            # Titled by the item and the link ("Q3 report.docx — Download blocked").
            sheet = need(new_window(before), 'share sheet for Share…')
            wait_for(lambda: find(sheet, 'Send by E-mail…', BUTTON_ROLES), 10)
            check('the share sheet', [sheet])
            t.check('Escape closes the share sheet', close(sheet))

        press(need(button_in(link_row('Download blocked'), 'Revoke link'), '"Revoke link"'))
        confirmation('revoking a link', 'Revoke')

        # --- Share Temporarily… on "Notes.txt" (no links) ---
        benchlib.focus_row(portal_list, 'Notes.txt')
        press(need(button_in(root(), 'Share Temporarily…'), '"Share Temporarily…"'))
        editor = window_named('Share Temporarily')
        if editor is None:
            raise RuntimeError('no window "Share Temporarily" (%s)' % dump('share'))
        wait_for(lambda: editor.findChild(
            lambda n: n.roleName == 'label' and (n.name or '').startswith(
                'Checking whether the portal can count'),
            retry=False, requireResult=False) is None, 20)
        check('Share Temporarily', [editor])
        t.check('Escape closes Share Temporarily', close(editor))

        # --- a public room: revoking its primary link regenerates it ---
        press_kit = [l for l in api_links(url, 'files/rooms/102/links?type=1')
                     if l.get('primary')][0]
        row = select('Press Kit', press_kit['title'])
        press(need(button_in(row, 'Revoke link'), '"Revoke link"'))
        confirmation('regenerating a public room\'s link', 'Revoke')

        # --- Find Link: empty, resolved, its revoke ---
        share = [l for l in api_links(url, 'files/rooms/101/links?type=1')
                 if l['title'] == 'Partners'][0]['shareLink']
        rawinput.keyCombo('<Control><Shift>f')
        finder = window_named('Find Link')
        if finder is None:
            raise RuntimeError('Ctrl+Shift+F opened no "Find Link" (%s)' % dump('find'))
        check('Find Link', [finder])
        entry = wait_for(lambda: finder.findChild(
            lambda n: n.roleName in e2elib.ENTRY_ROLES and plain(n.name) == 'Share link',
            retry=False, requireResult=False), 10)
        e2elib.set_text(entry, share)
        press(need(button_in(finder, 'Find'), '"Find"'))
        if wait_for(lambda: find(finder, 'Partners', ('label',)), 30) is None:
            raise RuntimeError('Find Link did not resolve "Partners" (%s)' % dump('found'))
        check('Find Link, a link found', [finder])
        press(need(button_in(finder, 'Revoke link'), '"Revoke link"'))
        confirmation('Find Link\'s revoke', 'Revoke')
        t.check('Escape closes Find Link', close(finder))

        # --- the link checkup and its "Remove All Expired…" ---
        rawinput.keyCombo('<Control><Shift>l')
        checkup = window_named('Link Checkup')
        if checkup is None:
            raise RuntimeError('Ctrl+Shift+L opened no "Link Checkup" (%s)' % dump('checkup'))
        wait_for(lambda: checkup.findChild(
            lambda n: n.roleName == 'label' and re.search(r'links? found', n.name or ''),
            retry=False, requireResult=False), 30)
        remove = wait_for(lambda: checkup.findChild(
            lambda n: plain(n.name).startswith('Remove All Expired') and n.roleName in BUTTON_ROLES
            and n.sensitive, retry=False, requireResult=False), 30)
        check('the link checkup', [checkup])
        if remove is None:
            raise RuntimeError('no "Remove All Expired…" in the checkup (%s)' % dump('remove'))
        press(remove)
        confirmation('the checkup\'s removal of expired links', 'Remove')
        t.check('Escape closes the checkup', close(checkup))

        # --- preferences, keyboard shortcuts, about ---
        rawinput.keyCombo('<Control>comma')
        preferences = window_named('Preferences')
        if preferences is None:
            raise RuntimeError('Ctrl+, opened no preferences (%s)' % dump('preferences'))
        check('preferences', [preferences])
        t.check('Escape closes the preferences', close(preferences))

        for stage, item_name in (('keyboard shortcuts', 'Keyboard Shortcuts'),
                                 ('about', 'About DocSpace Links')):
            before = windows_of(root())
            window = from_main_menu(item_name)
            if window is None or not plain(window.name).startswith(('About', item_name)):
                skip_menu(stage, item_name)
                # A window the menu opened all the same (GTK 4.18 activates an item it does
                # not name) is closed, so that Ctrl+Q below reaches the main window.
                for left in windows_of(root()):
                    if left not in before:
                        close(left)
                continue
            check(stage, [window])
            t.check('Escape closes the window of "%s"' % item_name, close(window))

        status = s.quit_app()
        t.check('Ctrl+Q quits the app cleanly', status == 0, 'exit status %s' % status)

        # --- a narrow window (360 px): the sidebar alone, with its Back button ---
        for key, value in (('window-width', 360), ('window-height', 640)):
            subprocess.run(['gsettings', 'set', benchlib.SCHEMA_ID, key, str(value)],
                           env=s.env, check=True, timeout=30)
        s.start_app()
        portal_list = benchlib.tree_list(root(), 30)
        if portal_list is None or benchlib.find_row(portal_list, 'Q3 report.docx', 30) is None:
            raise RuntimeError('no tree with "Q3 report.docx" (%s)' % dump('narrow'))
        benchlib.focus_row(portal_list, 'Q3 report.docx')
        need(button_in(root(), 'Back'), '"Back" in the narrow window')
        link_row('Download blocked')
        check('the narrow window, an item\'s links shown')
        t.note('nodes read per stage: ' + ', '.join('%s %d' % stage for stage in stages))
        status = s.quit_app()
        t.check('Ctrl+Q quits the narrow window cleanly', status == 0, 'exit status %s' % status)
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
