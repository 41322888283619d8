#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: sign in to docspace-sim as a person would, through the accessibility tree.

Starts docspace-sim (--port 0) and docspace-links --portal URL, then with dogtail: checks the
portal address is prefilled, signs in with a wrong key (an error appears under the fields and
nothing typed is lost), signs in with sk-demo-owner (who is signed in, the room "Marketing"),
takes a screenshot, checks what the simulator received and that the key was never logged, and
quits with Ctrl+Q (the app must exit cleanly; under the asan setup that includes the leak check).

Prints TAP. Needs a display and an accessibility bus: build-aux/run-tests.sh provides both.
Environment: DSL_SIM, DSL_APP (executables), DSL_ARTIFACTS (screenshots and logs).
"""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

# TAP goes to the real stdout; everything else (dogtail's own chatter) goes to stderr.
TAP = os.fdopen(os.dup(1), 'w', buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

OWNER_KEY = 'sk-demo-owner'
WRONG_KEY = 'sk-this-key-does-not-exist'
OWNER_NAME = 'Olivia Owner'
ROOM = 'Marketing'


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

    def bail(self, reason):
        TAP.write('Bail out! %s\n' % reason)
        self.failed += 1

    def finish(self):
        TAP.write('1..%d\n' % self.number)
        return 1 if self.failed else 0


def skip_all(reason):
    TAP.write('1..0 # SKIP %s\n' % reason)
    return 0


def start_simulator(sim, log):
    process = subprocess.Popen([sim, '--port', '0'], stdout=subprocess.PIPE, stderr=log,
                               stdin=subprocess.DEVNULL)
    ready, _, _ = select.select([process.stdout], [], [], 20)
    line = process.stdout.readline().decode().strip() if ready else ''
    if not line.startswith('http'):
        process.kill()
        process.wait()
        raise RuntimeError('docspace-sim printed no URL (got %r)' % line)
    return process, line


def stop(process, timeout=10):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def sim_requests(url):
    with urllib.request.urlopen(url + '/__sim/requests', timeout=10) as answer:
        return json.load(answer)


def text_of(node):
    """The text of an entry. GTK 4.8 answers GetText(0, -1) with "", so ask for the length."""
    text = node.queryText()
    return text.getText(0, text.characterCount)


def set_text(node, value):
    node.queryEditableText().setTextContents(value)


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # the tree changes under us while we look
            pass
        time.sleep(0.2)
    return None


def screenshot(artifacts, name):
    path = os.path.join(artifacts, name)
    time.sleep(1)  # let page transitions (200 ms crossfades) finish drawing
    subprocess.run(['import', '-window', 'root', path], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    return path


def colour_count(path):
    """Distinct colours in an image: an empty or black screen has one or two."""
    try:
        out = subprocess.run(['identify', '-format', '%k', path], check=True, timeout=30,
                             capture_output=True, text=True).stdout
        return int(out.strip() or 0)
    except (subprocess.SubprocessError, ValueError, OSError):
        return 0


def main():
    if not (os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')):
        return skip_all('no display (run through build-aux/run-tests.sh, which starts Xvfb)')
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        return skip_all('no D-Bus session bus (run through build-aux/run-tests.sh)')
    try:
        from dogtail.config import config
        config.checkForA11y = False      # GTK 4 does not read toolkit-accessibility
        config.logDebugToStdOut = False
        config.logDebugToFile = False
        config.actionDelay = 0.3
        config.defaultDelay = 0.3
        config.searchCutoffCount = 40    # x searchBackoffDuration 0.5 s: 20 s per search
        from dogtail import rawinput, tree
    except ImportError as error:
        return skip_all('dogtail is not available: %s' % error)

    sim_path = os.environ['DSL_SIM']
    app_path = os.environ['DSL_APP']
    artifacts = os.environ.get('DSL_ARTIFACTS') or tempfile.mkdtemp()
    os.makedirs(artifacts, exist_ok=True)
    t = Tap()
    sim = app = None
    sim_log = open(os.path.join(artifacts, 'e2e-signin-sim.log'), 'w')
    app_log_path = os.path.join(artifacts, 'e2e-signin-app.log')
    app_log = open(app_log_path, 'w')

    try:
        sim, url = start_simulator(sim_path, sim_log)

        env = dict(os.environ)
        env.pop('NO_AT_BRIDGE', None)
        env['G_MESSAGES_DEBUG'] = 'all'   # so the check below sees every log line
        app = subprocess.Popen([app_path, '--portal', url], env=env, stdin=subprocess.DEVNULL,
                               stdout=app_log, stderr=subprocess.STDOUT)

        root = tree.root.application('docspace-links')
        t.check('the app shows up in the accessibility tree', root is not None)

        portal = root.child(name='Portal address', roleName='text')
        t.check('the portal address is prefilled from --portal', text_of(portal) == url,
                'portal entry holds %r, expected %r' % (text_of(portal), url))

        key = root.child(name='API key', roleName='password text')
        sign_in = root.child(name='Sign In', roleName='push button')

        # A wrong key: the error appears under the fields, nothing typed is lost.
        set_text(key, WRONG_KEY)
        sign_in.doActionNamed('click')
        error = wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'label' and n.name.startswith('The portal did not accept'),
            retry=False, requireResult=False), 20)
        t.check('a wrong key shows an error under the fields', error is not None)
        t.check('the portal address is kept after the error', text_of(portal) == url)
        kept = key.queryText().characterCount
        t.check('the key is kept after the error', kept == len(WRONG_KEY),
                'key entry holds %d characters' % kept)
        screenshot(artifacts, 'e2e-signin-wrong-key.png')

        # The owner's key: who is signed in, and the rooms.
        set_text(key, OWNER_KEY)
        sign_in.doActionNamed('click')
        signed_in = wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'label' and n.name == 'Signed in as %s' % OWNER_NAME,
            retry=False, requireResult=False), 20)
        t.check('"Signed in as %s" is shown' % OWNER_NAME, signed_in is not None)
        room = wait_for(lambda: root.findChild(
            lambda n: n.roleName == 'label' and n.name == ROOM, retry=False,
            requireResult=False), 20)
        t.check('the room "%s" is listed' % ROOM, room is not None)

        shot = screenshot(artifacts, 'e2e-signin-rooms.png')
        colours = colour_count(shot)
        t.check('the screenshot shows a drawn window', colours > 16,
                '%s has %d colours' % (shot, colours))

        requests = sim_requests(url)
        self_calls = [r for r in requests if str(r.get('path', '')).endswith('people/@self')]
        t.check('the simulator refused the wrong key and accepted the owner key',
                [r.get('status') for r in self_calls][-2:] == [401, 200],
                'people/@self answers: %s' % [r.get('status') for r in self_calls])
        t.check('the rooms were listed as the owner',
                any(str(r.get('path', '')).endswith('files/rooms') and r.get('status') == 200
                    for r in requests))

        # Quit as a person would; the app must exit by itself, and cleanly.
        rawinput.keyCombo('<Control>q')
        try:
            status = app.wait(60)
        except subprocess.TimeoutExpired:
            status = None
        t.check('Ctrl+Q quits the app cleanly', status == 0, 'exit status %s' % status)
    except Exception as error:  # a missing widget, a dead process: report, do not hang
        screenshot(artifacts, 'e2e-signin-failure.png')
        t.check('the scenario ran to the end', False, '%s: %s' % (type(error).__name__, error))
    finally:
        stop(app)
        stop(sim)
        app_log.close()
        sim_log.close()

    with open(app_log_path, errors='replace') as log:
        app_output = log.read()
    t.check('the API keys never appear in the app\'s output',
            OWNER_KEY not in app_output and WRONG_KEY not in app_output)
    criticals = [l for l in app_output.splitlines() if '-CRITICAL **' in l or '-WARNING **' in l]
    t.check('the app logged no warnings or criticals', not criticals, '\n'.join(criticals[:10]))
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
