#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""demo-headless.py APP URL SCREENSHOT: the demo without a display.

Run by run-demo.sh inside build-aux/test-session.sh (Xvfb, a private D-Bus session with an
unlocked keyring, the accessibility bus). Seeds the session as run-demo.sh does on a desktop: the
demo owner's key into the keyring with secret-tool (read from stdin, never on a command line) and
the account into GSettings (a keyfile in the private session), then starts the app with no
arguments, so it opens signed in. Waits for the rooms (dogtail), saves a screenshot of the
screen and quits the app. Without a keyring it falls back to --portal URL and types the key."""

import os
import subprocess
import sys
import time

SCHEMA = 'io.github.dslinks.DocSpaceLinks'
OWNER_ID = 'a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01'
OWNER_NAME = 'Olivia Owner'
OWNER_KEY = 'sk-demo-owner'

app_path, url, screenshot = sys.argv[1:4]

env = dict(os.environ)
env.pop('NO_AT_BRIDGE', None)
# A keyfile under the session's private HOME: kept between the seeding and the app.
env['GSETTINGS_BACKEND'] = 'keyfile'


def seed():
    """True when the key is in the keyring and the account in GSettings."""
    try:
        subprocess.run(['secret-tool', 'store', '--label',
                        'DocSpace Links: %s (%s)' % (OWNER_NAME, url.split('://', 1)[-1]),
                        'xdg:schema', SCHEMA, 'portal', url, 'user', OWNER_ID],
                       input=OWNER_KEY.encode(), env=env, check=True, timeout=30,
                       stdout=subprocess.DEVNULL)
    except (subprocess.SubprocessError, OSError) as error:
        print('demo: no keyring (%s); signing in through the sign-in page instead' % error,
              file=sys.stderr)
        return False
    subprocess.run(['gsettings', 'set', SCHEMA, 'accounts',
                    "[('%s', '%s', '%s')]" % (url, OWNER_ID, OWNER_NAME)],
                   env=env, check=True, timeout=30)
    subprocess.run(['gsettings', 'set', SCHEMA, 'last-account', "'%s %s'" % (OWNER_ID, url)],
                   env=env, check=True, timeout=30)
    return True


seeded = seed()
app = subprocess.Popen([app_path] if seeded else [app_path, '--portal', url], env=env,
                       stdin=subprocess.DEVNULL)
status = 1
try:
    try:
        from dogtail.config import config
        config.checkForA11y = False
        config.logDebugToStdOut = False
        config.logDebugToFile = False
        from dogtail import tree

        root = tree.root.application('docspace-links')
        if not seeded:
            key = root.child(name='API key', roleName='password text')
            key.queryEditableText().setTextContents(OWNER_KEY)
            root.child(name='Sign In', roleName='push button').doActionNamed('click')
        # Signed in: the header names the owner and the tree lists the rooms.
        root.child(name=OWNER_NAME, roleName='label')
        root.child(name='Marketing', roleName='label')
        time.sleep(2)  # let the rows and icons draw
    except Exception as error:  # still show what is on screen
        print('demo: the signed-in window did not show: %s' % error, file=sys.stderr)
        time.sleep(3)
    subprocess.run(['import', '-window', 'root', screenshot], check=True)
    status = 0
finally:
    app.terminate()
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()
sys.exit(status)
