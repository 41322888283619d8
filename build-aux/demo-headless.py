#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""demo-headless.py APP URL SCREENSHOT: the demo without a display.

Run by run-demo.sh inside build-aux/test-session.sh (Xvfb + accessibility bus): starts the app
with --portal URL, signs in with the demo owner's key through the accessibility tree (dogtail),
waits for the rooms, saves a screenshot of the screen and quits the app."""

import subprocess
import sys
import time

app_path, url, screenshot = sys.argv[1:4]

app = subprocess.Popen([app_path, '--portal', url], stdin=subprocess.DEVNULL)
status = 1
try:
    try:
        from dogtail.config import config
        config.checkForA11y = False
        config.logDebugToStdOut = False
        config.logDebugToFile = False
        from dogtail import tree

        root = tree.root.application('docspace-links')
        key = root.child(name='API key', roleName='password text')
        key.queryEditableText().setTextContents('sk-demo-owner')
        root.child(name='Sign In', roleName='push button').doActionNamed('click')
        root.child(name='Signed in as Olivia Owner', roleName='label')
        time.sleep(2)  # let the room list arrive and draw
    except Exception as error:  # still show what is on screen
        print('demo: could not sign in automatically: %s' % error, file=sys.stderr)
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
