#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""screenshots.py [BUILD_DIR [OUTPUT_DIR]]: the screenshots of the metainfo and the README.

Runs the built app (BUILD_DIR, default _build) against docspace-sim on a private desktop and
writes, each cropped to one window:
  main-window.png       the main window, "Q3 report.docx" selected, its links in the sidebar;
  link-editor.png       the link editor for a new link ("Add Link");
  checkup.png           the link checkup window after its scan;
  main-window-dark.png  the main window again in the dark style.
into OUTPUT_DIR (default data/screenshots of the source tree). The main window is
MAIN_SIZE (benchlib.WINDOW_SIZE); build-aux/check-screenshots.py (test
check-screenshots) holds the metainfo, the README and the files to each other.

The private desktop is build-aux/test-session.sh (Xvfb 1280x800, a private D-Bus session with an
unlocked empty keyring and the accessibility bus, a fresh HOME): started with no session of its
own (DSL_SCREENSHOT_SESSION unset), the script runs itself again inside one, so neither the
desktop's theme nor its keyring reach the pictures. The simulator listens on 127.0.0.1:8765 (the
demo's port, the next free one up to 8774) so the share links in the pictures stay the same.
The owner is signed in with no typing (benchlib.seed_account: the API key into the session's
keyring from stdin), so no key or password is on screen. The dark style is libadwaita's own
debug switch, ADW_DEBUG_COLOR_SCHEME=prefer-dark (read by libadwaita 1.2's AdwSettings), which
stands for a desktop that prefers dark.

Needs /usr/bin/python3 with dogtail, ImageMagick's import, xwininfo (x11-utils).
--review DIR also writes the editor and the checkup in the dark style there, to look at.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE_ROOT, 'tests', 'e2e'))
import e2elib  # noqa: E402  (imports tests/bench/benchlib too)
from e2elib import benchlib, press, set_text, wait_for  # noqa: E402

MAIN_SIZE = benchlib.WINDOW_SIZE
# Under an X server with no compositor GTK draws a client-side window as "solid-csd": a 1 px
# border, 3 px for the resize handles and the window's own 1 px border around the content.
# The pictures leave that out (a desktop draws rounded corners and a shadow there instead), so
# the main window is opened FRAME px larger on every side and comes out at MAIN_SIZE.
FRAME = 5
PORTS = list(range(8765, 8775))
SELECTED_FILE = 'Q3 report.docx'
NEW_LINK_NAME = 'Review by partners'


def log(message):
    print('screenshots: %s' % message, file=sys.stderr)


def viewable(window_id):
    out = subprocess.run(['xwininfo', '-id', window_id], check=False, timeout=30,
                         capture_output=True, text=True).stdout
    return 'Map State: IsViewable' in out


def x_windows():
    """(id, name, width, height) of every mapped window right below the root (no window
    manager runs under Xvfb, so the app's toplevels are there)."""
    out = subprocess.run(['xwininfo', '-root', '-children'], check=True, timeout=30,
                         capture_output=True, text=True).stdout
    windows = []
    for line in out.splitlines():
        match = re.match(r'\s+(0x[0-9a-f]+) (?:"(.*)"|\(has no name\)): \(.*\)\s+(\d+)x(\d+)',
                         line)
        if match:
            if viewable(match.group(1)):
                windows.append((match.group(1), match.group(2), int(match.group(3)),
                                int(match.group(4))))
    return windows


def capture(title, path, size=None, settle=1.0):
    """The X window named `title` into the PNG `path`, without its solid-csd FRAME (the
    picture is `size`, when given)."""
    def matching():
        return [w for w in x_windows() if w[1] == title and (
            size is None or (w[2] - 2 * FRAME, w[3] - 2 * FRAME) == tuple(size))]
    found = wait_for(matching, 20)
    if not found:
        raise RuntimeError('no window "%s"%s; windows: %s' % (
            title, ' of %dx%d' % tuple(size) if size else '', x_windows()))
    window, _, width, height = found[0]
    time.sleep(settle)   # transitions (crossfades, the sidebar's reveal) end drawing
    subprocess.run(['import', '-window', window,
                    '-crop', '%dx%d+%d+%d' % (width - 2 * FRAME, height - 2 * FRAME, FRAME, FRAME),
                    '+repage', '-strip', '-define', 'png:compression-level=9', 'PNG24:' + path],
                   check=True, timeout=60)
    log('%s: window "%s", %dx%d without its frame' % (os.path.basename(path), title,
                                                     width - 2 * FRAME, height - 2 * FRAME))


def named(parent, name, roles):
    """The first node below `parent` whose accessible name reads `name` (GTK 4.8 names a
    widget with a mnemonic or a labelling widget "_Add Link" or "Link name Link name"), or
    None. No retries: wrap it in wait_for()."""
    def reads(node_name):
        node_name = (node_name or '').replace('_', '')
        return node_name == name or node_name == '%s %s' % (name, name)
    return parent.findChild(lambda n: reads(n.name) and n.roleName in roles,
                            retry=False, requireResult=False)


def toplevel_title(node):
    while node is not None and node.roleName not in ('frame', 'window', 'dialog'):
        node = node.parent
    return node.name if node is not None else None


class Session:
    """The app, started (signed in) against the running simulator."""

    def __init__(self, tree, rawinput, app_path, env, app_log):
        self.tree = tree
        self.rawinput = rawinput
        self.process, self.root = e2elib.start_app(tree, app_path, env, app_log)
        self.portal = benchlib.tree_list(self.root, 30)
        if self.portal is None or benchlib.find_row(self.portal, 'Rooms', 30) is None:
            raise RuntimeError('the app did not open signed in:\n'
                               + '\n'.join(benchlib.dump_tree(self.root, limit=80)))
        self.title = toplevel_title(self.portal)

    def pointer_away(self):
        """The pointer off the window: no row drawn hovered."""
        self.rawinput.absoluteMotion(MAIN_SIZE[0] + 40, MAIN_SIZE[1] + 20)

    def show_file(self):
        """The tree with a room open and SELECTED_FILE selected, its links in the sidebar."""
        benchlib.expand_row(self.portal, 'Marketing', 'Campaigns', self.rawinput)
        benchlib.focus_row(self.portal, SELECTED_FILE)
        links = wait_for(lambda: benchlib.find_named(self.root, 'Links', ('list', 'list box')))
        if links is None or wait_for(lambda: benchlib.find_named(
                links, 'Download blocked', benchlib.ROW_ROLES)) is None:
            raise RuntimeError('the sidebar shows no links of "%s"' % SELECTED_FILE)
        self.pointer_away()

    def open_editor(self):
        add = wait_for(lambda: named(self.root, 'Add Link', ('push button',)))
        if add is None:
            raise RuntimeError('no "Add Link" button')
        press(add)
        name = wait_for(lambda: named(self.root, 'Link name', e2elib.ENTRY_ROLES))
        if name is None:
            raise RuntimeError('the link editor did not open')
        set_text(name, NEW_LINK_NAME)
        try:   # the caret after the name, where typing leaves it
            name.queryText().setCaretOffset(len(NEW_LINK_NAME))
        except Exception:
            pass
        self.pointer_away()
        return 'New Link'   # the editor's title for a new link

    def close(self, title, keys):
        """Closes the window `title` with `keys`, as a person would."""
        self.rawinput.keyCombo(keys)
        if not wait_for(lambda: not [w for w in x_windows() if w[1] == title], 10):
            raise RuntimeError('%s did not close the window "%s"' % (keys, title))

    def open_checkup(self):
        button = wait_for(lambda: benchlib.find_named(self.root, 'Link Checkup',
                                                      ('push button',)))
        if button is None:
            raise RuntimeError('no "Link Checkup" button')
        press(button)
        window = wait_for(lambda: self.root.findChild(
            lambda n: n.roleName in ('frame', 'window', 'dialog') and n.name == 'Link Checkup',
            retry=False, requireResult=False))
        if window is None:
            raise RuntimeError('the link checkup window did not open')
        # The scan is over when the label counts the links found and the number settles.
        def found():
            label = window.findChild(lambda n: n.roleName == 'label'
                                     and re.search(r'links? found', n.name or '') is not None,
                                     retry=False, requireResult=False)
            return label.name if label is not None else None
        first = wait_for(found, 30)
        time.sleep(2)
        if first is None or found() != first:
            wait_for(lambda: found() == first, 10)
        self.pointer_away()
        return 'Link Checkup'

    def quit(self):
        """SIGTERM: with no window manager, the keyboard focus left with the closed windows."""
        benchlib.stop(self.process)


def take(build_dir, output, review):
    sim_path = os.path.join(build_dir, 'tests', 'sim', 'docspace-sim')
    app_path = os.path.join(build_dir, 'src', 'docspace-links')
    for path in (sim_path, app_path):
        if not os.access(path, os.X_OK):
            raise RuntimeError('%s is missing: build first (meson compile -C %s)'
                               % (path, build_dir))
    rawinput, tree = e2elib.load_dogtail(0.2)
    os.makedirs(output, exist_ok=True)
    work = tempfile.mkdtemp(prefix='dsl-screenshots.')
    env = e2elib.app_env(work)
    env['GSETTINGS_SCHEMA_DIR'] = os.path.join(build_dir, 'data')
    env.pop('G_MESSAGES_DEBUG', None)
    env.pop('ADW_DEBUG_COLOR_SCHEME', None)
    dark_env = dict(env, ADW_DEBUG_COLOR_SCHEME='prefer-dark')
    sim = session = None
    sim_log = open(os.path.join(work, 'sim.log'), 'w')
    app_log_path = os.path.join(work, 'app.log')
    app_log = open(app_log_path, 'w')
    try:
        url = None
        for port in PORTS + [0]:
            try:
                sim, url = benchlib.start_simulator(sim_path, sim_log, '--port', str(port))
                break
            except RuntimeError:
                continue
        if url is None:
            raise RuntimeError('docspace-sim did not start')
        log('portal %s' % url)
        benchlib.seed_account(env, url)
        for key, value in (('window-width', MAIN_SIZE[0] + 2 * FRAME),
                           ('window-height', MAIN_SIZE[1] + 2 * FRAME)):
            subprocess.run(['gsettings', 'set', benchlib.SCHEMA_ID, key, str(value)], env=env,
                           check=True, timeout=30)

        session = Session(tree, rawinput, app_path, env, app_log)
        session.show_file()
        capture(session.title, os.path.join(output, 'main-window.png'), MAIN_SIZE)
        capture(session.open_editor(), os.path.join(output, 'link-editor.png'))
        session.close('New Link', 'Escape')
        capture(session.open_checkup(), os.path.join(output, 'checkup.png'))
        session.close('Link Checkup', '<Control>w')
        session.quit()

        session = Session(tree, rawinput, app_path, dark_env, app_log)
        session.show_file()
        capture(session.title, os.path.join(output, 'main-window-dark.png'), MAIN_SIZE)
        if review:
            os.makedirs(review, exist_ok=True)
            capture(session.open_editor(), os.path.join(review, 'link-editor-dark.png'))
            session.close('New Link', 'Escape')
            capture(session.open_checkup(), os.path.join(review, 'checkup-dark.png'))
            session.close('Link Checkup', '<Control>w')
        session.quit()
        session = None
    except Exception:
        if session is not None:
            log('accessibility tree:\n' + '\n'.join(benchlib.dump_tree(session.root,
                                                                        limit=200)))
        raise
    finally:
        if session is not None:
            benchlib.stop(session.process)
        benchlib.stop(sim)
        app_log.close()
        sim_log.close()
        warnings = e2elib.warnings_in(e2elib.read_output(app_log_path))
        for line in warnings:
            log('app: ' + line)
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    args = list(argv)
    review = None
    if '--review' in args:
        index = args.index('--review')
        review = os.path.abspath(args[index + 1])
        del args[index:index + 2]
    build_dir = os.path.abspath(args[0] if args else os.path.join(SOURCE_ROOT, '_build'))
    output = os.path.abspath(args[1] if len(args) > 1
                             else os.path.join(SOURCE_ROOT, 'data', 'screenshots'))
    if not os.environ.get('DSL_SCREENSHOT_SESSION'):
        env = dict(os.environ, DSL_SCREENSHOT_SESSION='1')
        command = ['bash', os.path.join(SOURCE_ROOT, 'build-aux', 'test-session.sh'),
                   '/usr/bin/python3', os.path.abspath(__file__), build_dir, output]
        if review:
            command += ['--review', review]
        return subprocess.run(command, env=env).returncode
    try:
        take(build_dir, output, review)
    except Exception as error:
        log('failed: %s: %s' % (type(error).__name__, error))
        return 1
    log('written to %s' % output)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
