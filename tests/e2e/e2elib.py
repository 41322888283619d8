# SPDX-License-Identifier: GPL-3.0-or-later
"""What the end-to-end scripts share: TAP on the real stdout, dogtail set up for GTK 4, the
app's environment, starting and quitting the app (with the asan setup's filter for GTK 4.8's own
AT-SPI leaks), one scenario's set-up and tear-down (Scenario), and the entry/button helpers over
AT-SPI.

Importing it moves everything but TAP (dogtail's own chatter) to stderr. The scripts import it
with their own directory on sys.path (Python puts it there when it runs a script); it puts
tests/bench there for benchlib.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'bench'))
import benchlib  # noqa: E402  (start/stop the simulator, screenshots, rows of the tree)

# TAP goes to the real stdout; everything else (dogtail's own chatter) goes to stderr.
TAP = os.fdopen(os.dup(1), 'w', buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

ENTRY_ROLES = ('text', 'password text', 'entry')

# build-aux/flatpak-check.sh runs the scripts against the installed Flatpak: DSL_E2E_APP names
# what starts it (`flatpak run io.github.dslinks.DocSpaceLinks` in a wrapper), in place of the
# build's executable.
if os.environ.get('DSL_E2E_APP'):
    os.environ['DSL_APP'] = os.environ['DSL_E2E_APP']


class Tap:
    def __init__(self):
        self.number = 0
        self.failed = 0

    def check(self, description, condition, diagnostics=None):
        self.number += 1
        if condition:
            TAP.write('ok %d - %s\n' % (self.number, description))
        else:
            self.failed += 1
            TAP.write('not ok %d - %s\n' % (self.number, description))
            for line in str(diagnostics or '').splitlines():
                TAP.write('# %s\n' % line)
        return condition

    def skip(self, description, reason):
        self.number += 1
        TAP.write('ok %d - %s # SKIP %s\n' % (self.number, description, reason))

    def note(self, text):
        for line in str(text).splitlines():
            TAP.write('# %s\n' % line)

    def finish(self):
        TAP.write('1..%d\n' % self.number)
        return 1 if self.failed else 0


def skip_all(reason):
    TAP.write('1..0 # SKIP %s\n' % reason)
    return 0


def missing_session(displays=('DISPLAY',)):
    """Why the scenario cannot run here (no display among `displays`, no session bus), or
    None."""
    if not any(os.environ.get(name) for name in displays):
        return 'no display (run through build-aux/run-tests.sh, which starts Xvfb)'
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        return 'no D-Bus session bus (run through build-aux/run-tests.sh)'
    return None


def load_dogtail(delay):
    """dogtail set up for GTK 4, `delay` seconds after each action; returns (rawinput, tree).
    Raises ImportError when dogtail is not installed."""
    from dogtail.config import config
    config.checkForA11y = False      # GTK 4 does not read toolkit-accessibility
    config.logDebugToStdOut = False
    config.logDebugToFile = False
    config.actionDelay = delay
    config.defaultDelay = delay
    config.searchCutoffCount = 40    # x searchBackoffDuration 0.5 s: 20 s per search
    from dogtail import rawinput, tree
    _use_gtk48_role_names(tree)
    _use_window_positions(tree)
    # libatspi gives an application 800 ms to answer a call; a sanitizer build handling an
    # action inside the call (Sign Out, a revoke) can take longer, and the call then fails
    # with "Did not receive a reply". Wait as long as a person would.
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi
    Atspi.set_timeout(15000, 15000)
    return rawinput, tree


# at-spi2-core 2.50 renamed the role "push button" to "button" (Debian 13's libatspi says
# "button", Debian 12's "push button") and added "switch", which GTK 4.18 gives GtkSwitch (GTK
# 4.8: "toggle button"). The scripts, their tree dumps and their diagnostics use the older names.
ROLE_NAMES = {'button': 'push button', 'switch': 'toggle button'}


def _use_gtk48_role_names(tree):
    role_name = tree.Node.roleName.fget
    if getattr(role_name, 'dsl_renamed', False):
        return

    def renamed(node):
        name = role_name(node)
        return ROLE_NAMES.get(name, name)
    renamed.dsl_renamed = True
    tree.Node.roleName = property(renamed)

    # GTK 4.18 names a menu item of a GtkPopoverMenu only through its "labelled-by" relation
    # (to a label outside the tree that has the text), as ARIA allows; GTK 4.8 gave the item
    # the label's text as its name. Screen readers follow the relation; so do the scripts.
    # The nodes are Atspi.Accessible objects, whose own "name" (pyatspi's) comes before
    # dogtail's in their classes' order: that is the one to wrap.
    from gi.repository import Atspi
    owner = next((k for k in Atspi.Accessible.__mro__ if 'name' in vars(k)), None)
    original = vars(owner).get('name') if owner is not None else None
    if (original is None or not hasattr(original, '__get__')
            or getattr(getattr(original, 'fget', None), 'dsl_labelled', False)):
        return

    def labelled(node):
        name = original.__get__(node, type(node))
        if name or role_name(node) not in MENU_ITEM_ROLES:
            return name
        return _labelled_by_text(node) or name
    labelled.dsl_labelled = True
    owner.name = property(labelled)


MENU_ITEM_ROLES = ('menu item', 'check menu item', 'radio menu item')


def _use_window_positions(tree):
    """GTK 4.18 answers AT-SPI's screen extents with (0, 0) (GTK 4.8 with the widget's place on
    the screen, X11 only), which would send dogtail's clicks (rawinput on a node's position) to
    the window's top left corner. dogtail 1.0 (Debian 13) then adds the window-relative
    position to the X11 window's; Debian 12's 0.9 does not. So, as 1.0 does: (0, 0) from the
    screen extents means the window-relative position plus the toplevel's place on the X
    screen (xwininfo) and the space GTK keeps around its client-side decorated window there
    (_GTK_FRAME_EXTENTS, xprop)."""
    position = tree.Node.position.fget
    if getattr(position, 'dsl_window', False):
        return

    def placed(node):
        pos = tuple(position(node))
        if pos != (0, 0):
            return pos
        try:
            import pyatspi
            inside = tuple(node.queryComponent().getPosition(pyatspi.WINDOW_COORDS))
        except Exception:
            return pos
        origin = _toplevel_origin(node)
        if origin is None:
            return pos
        return (inside[0] + origin[0], inside[1] + origin[1])
    placed.dsl_window = True
    tree.Node.position = property(placed)


def has_screen_positions(node):
    """Whether the toolkit gives `node` its place on the screen (GTK 4.8 on X11 does; GTK 4.18
    answers (0, 0), and _use_window_positions places it from its window's)."""
    try:
        import pyatspi
        return tuple(node.queryComponent().getPosition(pyatspi.DESKTOP_COORDS)) != (0, 0)
    except Exception:
        return False


def _toplevel_of(node):
    """The frame, dialog or window holding `node` (the application's child), or None."""
    while node is not None:
        parent = node.parent
        if parent is None or parent.roleName == 'application':
            return node if parent is not None else None
        node = parent
    return None


def _toplevel_origin(node):
    """Where the X11 window of `node`'s toplevel puts the window-relative (0, 0) on the screen:
    the mapped top-level X window whose title is the toplevel's name (the one of its size when
    there are several), plus its _GTK_FRAME_EXTENTS left and top. None when there is none."""
    top = _toplevel_of(node)
    if top is None:
        return None
    try:
        title = top.name
        width, height = top.size
        listing = subprocess.run(['xwininfo', '-root', '-children'], capture_output=True,
                                 text=True, timeout=10).stdout
    except Exception:
        return None
    candidates = []
    for line in listing.splitlines():
        match = re.match(r'\s*(0x[0-9a-f]+) "(.*)": \(.*\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)', line)
        if match and match.group(2) == title:
            candidates.append(match)
    best = None
    for match in candidates:
        window = match.group(1)
        try:
            info = subprocess.run(['xwininfo', '-id', window], capture_output=True, text=True,
                                  timeout=10).stdout
            if 'IsViewable' not in info:
                continue
            x = int(re.search(r'Absolute upper-left X:\s+(-?\d+)', info).group(1))
            y = int(re.search(r'Absolute upper-left Y:\s+(-?\d+)', info).group(1))
            w = int(re.search(r'Width:\s+(\d+)', info).group(1))
            h = int(re.search(r'Height:\s+(\d+)', info).group(1))
            extents = subprocess.run(['xprop', '-id', window, '_GTK_FRAME_EXTENTS'],
                                     capture_output=True, text=True, timeout=10).stdout
        except Exception:
            continue
        numbers = [int(n) for n in re.findall(r'-?\d+', extents.partition('=')[2])]
        left, right, top_extent, bottom = numbers[:4] if len(numbers) >= 4 else (0, 0, 0, 0)
        origin = (x + left, y + top_extent)
        if (w - left - right, h - top_extent - bottom) == (width, height):
            return origin
        best = best or origin
    return best



def _labelled_by_text(node):
    """The text of the nodes that label `node` (its "labelled-by" relation), or ''."""
    from gi.repository import Atspi
    try:
        texts = []
        for relation in node.get_relation_set() or []:
            if relation.get_relation_type() != Atspi.RelationType.LABELLED_BY:
                continue
            for i in range(relation.get_n_targets()):
                target = relation.get_target(i)
                text = target.get_name() or Atspi.Text.get_text(target, 0, -1)
                if text:
                    texts.append(text)
        return ' '.join(texts)
    except Exception:
        return ''


def app_env(work):
    """The app's environment: GSettings in a keyfile below `work`, the accessibility bridge on,
    every debug message logged (so the checks of the output see every line)."""
    env = benchlib.private_settings_env(os.environ, work,
                                        os.environ.get('GSETTINGS_SCHEMA_DIR', ''))
    env.pop('NO_AT_BRIDGE', None)
    env['G_MESSAGES_DEBUG'] = 'all'
    return env


def start_app(tree, app_path, env, app_log, *args):
    """Starts the app with its output into `app_log`; returns (process, its accessible root)."""
    process = subprocess.Popen([app_path, *args], env=env, stdin=subprocess.DEVNULL,
                               stdout=app_log, stderr=subprocess.STDOUT)
    return process, tree.root.application('docspace-links')


def foreign_leaks_only(log_path):
    """True when every LeakSanitizer report in the app's log is a GTK 4.8 AT-SPI leak (action
    name lists built for the accessibility bus, which dogtail's queries trigger): no frame of
    our code (src/core, src/ui) in any leaked allocation's stack. False when there is none."""
    try:
        with open(log_path, errors='replace') as handle:
            text = handle.read()
    except OSError:
        return False
    if 'ERROR: LeakSanitizer' not in text or 'ERROR: AddressSanitizer' in text:
        return False
    blocks = text.split('leak of ')[1:]
    return bool(blocks) and all(
        'libgtk-4.so' in block.split('\n\n')[0]
        and not any(marker in block.split('\n\n')[0]
                    for marker in (' in dsl_', '/src/core/', '/src/ui/'))
        for block in blocks)


def quit_app(process, rawinput, app_log=None, app_log_path=None, work=None):
    """Ctrl+Q, as a person would; the exit status (None when it did not exit in 60 s). Given
    the app's log (`app_log`, its path, and a `work` directory for the tail), under the asan
    setup GTK 4.8's own AT-SPI leaks (see foreign_leaks_only) do not count against the app."""
    log_size = os.path.getsize(app_log_path) if app_log_path is not None else 0
    rawinput.keyCombo('<Control>q')
    try:
        status = process.wait(60)
    except subprocess.TimeoutExpired:
        return None
    if status != 0 and app_log_path is not None and 'ASAN_OPTIONS' in os.environ:
        app_log.flush()
        tail = os.path.join(work, 'tail.log')
        with open(app_log_path, 'rb') as source, open(tail, 'wb') as target:
            source.seek(log_size)
            target.write(source.read())
        if foreign_leaks_only(tail):
            TAP.write('# exit status %s: only GTK 4.8 AT-SPI leaks were reported\n' % status)
            return 0
    return status


def read_output(app_log_path):
    with open(app_log_path, errors='replace') as log:
        return log.read()


def _libadwaita_minor():
    """libadwaita's minor version (1.x), or None when it cannot be loaded. Against the Flatpak
    the app's is the runtime's, which build-aux/flatpak-check.sh names in DSL_E2E_LIBADWAITA."""
    import ctypes
    version = os.environ.get('DSL_E2E_LIBADWAITA', '').split('.')
    if len(version) >= 2 and version[1].isdigit():
        return int(version[1])
    try:
        return ctypes.CDLL('libadwaita-1.so.0').adw_get_minor_version()
    except (OSError, AttributeError):
        return None


# libadwaita 1.6 and 1.7 warn so whenever an AdwMessageDialog is shown (their bug 1025, fixed in
# 1.8; see tests/dsl-test-util.c, where the ui tests check it is the dialog's heading).
MESSAGE_DIALOG_WARNING = re.compile(r'Gtk-WARNING \*\*: [0-9:.]+: Trying to measure GtkLabel '
                                    r'0x[0-9a-f]+ for width of [0-9]+, but it needs at least '
                                    r'[0-9]+$')


def warnings_in(app_output):
    """The app's warnings and criticals. dogtail's clicks ask for screen coordinates, which
    GTK 4 on X11 cannot give (GTK 4.8 warns once per query): that one is the test's doing."""
    foreign_dialog_warning = _libadwaita_minor() in (6, 7)
    return [l for l in app_output.splitlines()
            if ('-CRITICAL **' in l or '-WARNING **' in l)
            and 'Screen coordinates not supported' not in l
            and not (foreign_dialog_warning and MESSAGE_DIALOG_WARNING.search(l))]


class Scenario:
    """One end-to-end run against docspace-sim: what every script sets up and tears down.

        s = Scenario('tree')
        if s.skip_reason:
            return skip_all(s.skip_reason)
        with s:                       # an exception fails the run with its reason, no traceback
            s.start_simulator('--scale', '1')
            s.seed_account()          # signed in from the keyring and a GSettings keyfile
            root = s.start_app()
            ...
            s.t.check('Ctrl+Q quits the app cleanly', s.quit_app() == 0)
        return s.finish()             # the key never in the app's output, no warnings; TAP plan

    Logs go to DSL_ARTIFACTS as e2e-NAME-sim.log and e2e-NAME-app.log; a private work directory
    holds the app's settings and is removed at the end, after the app, the simulator and what
    was passed to on_exit have stopped and the keyring entry is gone."""

    def __init__(self, name, delay=0.3, displays=('DISPLAY',)):
        self.name = name
        self.t = Tap()
        self.sim = self.app = self.url = self.root = None
        self._cleanups = []
        self.skip_reason = missing_session(displays)
        if self.skip_reason:
            return
        try:
            self.rawinput, self.tree = load_dogtail(delay)
        except ImportError as error:
            self.skip_reason = 'dogtail is not available: %s' % error
            return
        self.sim_path = os.environ['DSL_SIM']
        self.app_path = os.environ['DSL_APP']
        self.artifacts = os.environ.get('DSL_ARTIFACTS') or tempfile.mkdtemp()
        os.makedirs(self.artifacts, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix='dsl-e2e-%s.' % name)
        self.env = app_env(self.work)
        self.sim_log = open(self.artifact('e2e-%s-sim.log' % name), 'w')
        self.app_log_path = self.artifact('e2e-%s-app.log' % name)
        self.app_log = open(self.app_log_path, 'w')

    def artifact(self, file_name):
        return os.path.join(self.artifacts, file_name)

    def start_simulator(self, *args):
        """Starts docspace-sim with `args`; returns its URL."""
        self.sim, self.url = benchlib.start_simulator(self.sim_path, self.sim_log, *args)
        return self.url

    def seed_account(self):
        """The owner's account in the app's settings and its key in the keyring."""
        benchlib.seed_account(self.env, self.url)

    def start_app(self, *args):
        """Starts the app with `args`; returns its accessible root (also self.root)."""
        self.app, self.root = start_app(self.tree, self.app_path, self.env, self.app_log, *args)
        return self.root

    def quit_app(self):
        """Ctrl+Q; the exit status, or None when the app did not exit (it is stopped at the
        end)."""
        status = quit_app(self.app, self.rawinput, self.app_log, self.app_log_path, self.work)
        if status is not None:
            self.app = None
        return status

    def dump(self, label):
        """The whole accessibility tree into the artifacts; the file's name for a diagnostic."""
        path = self.artifact('e2e-%s-tree-%s.txt' % (self.name, label))
        with open(path, 'w') as handle:
            handle.write('\n'.join(benchlib.dump_tree(self.root, limit=3000)))
        return 'accessibility tree: ' + path

    def on_exit(self, function):
        """Calls `function` at the end, after the app and the simulator have stopped."""
        self._cleanups.append(function)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        failed = isinstance(error, Exception)
        if failed:  # a missing widget, a dead process: report, do not hang
            benchlib.screenshot(self.artifact('e2e-%s-failure.png' % self.name))
            self.t.check('the scenario ran to the end', False,
                         '%s: %s' % (type(error).__name__, error))
            if self.root is not None:
                self.t.note('\n'.join(benchlib.dump_tree(self.root, limit=120)))
        benchlib.stop(self.app)
        self.app = None
        benchlib.stop(self.sim)
        for function in reversed(self._cleanups):
            function()
        if self.url is not None:
            benchlib.clear_secret(self.env, self.url)
        self.app_log.close()
        self.sim_log.close()
        shutil.rmtree(self.work, ignore_errors=True)
        return failed

    def finish(self, secrets=(benchlib.OWNER_KEY,)):
        """The checks of the app's whole output (none of `secrets`, the API keys and passwords
        the scenario used, in it; no warning or critical), then the TAP plan; the script's exit
        status."""
        app_output = read_output(self.app_log_path)
        leaked = [secret for secret in secrets if secret in app_output]
        self.t.check('no API key or password appears in the app\'s output', not leaked,
                     '%d of them do' % len(leaked))
        criticals = warnings_in(app_output)
        self.t.check('the app logged no warnings or criticals', not criticals,
                     '\n'.join(criticals[:10]))
        return self.t.finish()


# --- the window through dogtail (nodes are dogtail.tree.Node) -------------------------------

def wait_for(predicate, timeout=20):
    return benchlib.wait_for(predicate, timeout, 0.2)


def press(node, vanishes=False):
    """Clicks a button or menu item through AT-SPI: its first action, by index. Asking for the
    names of a widget's actions (dogtail's doActionNamed, `actions`) leaks in GTK 4.8's AT-SPI
    code for most widgets, which the asan setup would report at exit.
    `vanishes`: the action destroys the widget itself (Sign Out rebuilds the menu that holds
    it); GTK 4.8 may then drop its answer to the call, which a slow (sanitizer) build turns into
    "Did not receive a reply". The caller checks what the action did instead."""
    try:
        node.queryAction().doAction(0)
    except Exception as error:
        inner = _inner_button(node) if 'No action with index 0' in str(error) else None
        if inner is not None:
            press(inner, vanishes)
        elif not vanishes or 'Did not receive a reply' not in str(error):
            raise


def _inner_button(node):
    """GTK 4.18 shows a GtkMenuButton as a "button" without actions holding the "toggle
    button" that has them (GTK 4.8: the toggle button alone); that inner button, or None."""
    for child in node.children:
        if child.roleName in ('toggle button', 'push button'):
            return child
    return None


def find_toast(root, words, timeout=15):
    """The label of a toast starting with `words`. Breadth first and not into lists: a toast
    lives a few levels below the window and shows for 5 s, while a walk of the whole tree
    (hundreds of rows) over AT-SPI can take longer than that on a busy machine."""
    def find():
        frontier = [root]
        for _depth in range(12):
            following = []
            for node in frontier:
                try:
                    children = node.children
                except Exception:
                    continue
                for child in children:
                    if child.roleName == 'label' and (child.name or '').startswith(words):
                        return child
                    if child.roleName not in ('list', 'list box', 'table', 'tree',
                                              'tree table'):
                        following.append(child)
            frontier = following
        return None
    return wait_for(find, timeout)


def text_of(node):
    """The text of an entry. GTK 4.8 answers GetText(0, -1) with "", so ask for the length."""
    text = node.queryText()
    return text.getText(0, text.characterCount)


def set_text(node, value):
    node.queryEditableText().setTextContents(value)
