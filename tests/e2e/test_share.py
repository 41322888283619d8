#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: the share sheet of a link, driven through the accessibility tree.

Starts docspace-sim and the app signed in as Olivia Owner; a stand-in mail program (a desktop
entry for x-scheme-handler/mailto in the app's private XDG_DATA_HOME, the default in its
mimeapps.list; against the Flatpak, the session's one that build-aux/flatpak-check.sh names in
DSL_MAILTO_LOG) writes the URI it is started with to a file. Then with dogtail:
  - 401 "Q3 report.docx", the row "Download blocked": its menu has "Share…", which opens the
    sheet with the address as text;
  - every control of the sheet is found by its accessible name exactly as a screen reader says
    it (said once, no underscore): "Copy QR Code", "Save as PNG…", "Save as SVG…", "Send by
    E-mail…", "Copy as Message"; the QR code is an image named "QR code of the link" whose
    description is the address;
  - "Copy QR Code": xclip reads image/png from the clipboard and zbarimg decodes it to the link;
  - "Send by E-mail…": the mail program is started with a mailto: URI whose subject and body
    name the item, the link and its expiry, never a password;
  - "Copy as Message": the clipboard holds the same text as the mail's body;
  - a screenshot of the sheet is kept as share-sheet.png; its "Close" closes it; opened again
    and left open, Ctrl+Q quits cleanly, no warnings or criticals in the app's output.

Prints TAP. Needs a display and an accessibility bus (build-aux/test-session.sh), xclip and
zbarimg (zbar-tools).
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402
from e2elib import benchlib, press, skip_all, wait_for  # noqa: E402

NAMES = ('Copy QR Code', 'Save as PNG…', 'Save as SVG…', 'Send by E-mail…', 'Copy as Message')


def clipboard(target=None, binary=False):
    command = ['xclip', '-selection', 'clipboard', '-o']
    if target is not None:
        command += ['-t', target]
    result = subprocess.run(command, capture_output=True, timeout=10)
    return result.stdout if binary else result.stdout.decode(errors='replace')


def zbar(path):
    result = subprocess.run(['zbarimg', '--quiet', '--raw', '-Sdisable', '-Sqrcode.enable',
                             path], capture_output=True, timeout=30)
    return result.stdout.decode(errors='replace').rstrip('\n') if result.returncode == 0 else None


def share_link(url, file_id, title):
    """The shareLink of the file's link `title`, as the simulator holds it."""
    request = urllib.request.Request('%s/api/2.0/files/file/%s/links' % (url, file_id),
                                     headers={'Authorization': 'Bearer ' + benchlib.OWNER_KEY})
    with urllib.request.urlopen(request, timeout=10) as answer:
        links = [entry['sharedLink'] for entry in json.load(answer).get('response', [])]
    return [link['shareLink'] for link in links if link.get('title') == title][0]


def install_mailer(env, work):
    """A mail program that writes its URI to work/mailto.txt, the default for mailto:."""
    data = os.path.join(work, 'data')
    apps = os.path.join(data, 'applications')
    os.makedirs(apps, exist_ok=True)
    out = os.path.join(work, 'mailto.txt')
    script = os.path.join(work, 'mailer.sh')
    with open(script, 'w') as handle:
        handle.write('#!/bin/sh\nprintf "%%s" "$1" > "%s.part" && mv "%s.part" "%s"\n'
                     % (out, out, out))
    os.chmod(script, 0o755)
    with open(os.path.join(apps, 'dsl-test-mailer.desktop'), 'w') as handle:
        handle.write('[Desktop Entry]\nType=Application\nName=Test Mailer\n'
                     'Exec=%s %%u\nMimeType=x-scheme-handler/mailto;\nNoDisplay=true\n' % script)
    config = env['XDG_CONFIG_HOME']
    with open(os.path.join(config, 'mimeapps.list'), 'w') as handle:
        handle.write('[Default Applications]\nx-scheme-handler/mailto=dsl-test-mailer.desktop\n')
    env['XDG_DATA_HOME'] = data
    return out


def main():
    for tool in ('xclip', 'zbarimg'):
        if shutil.which(tool) is None:
            return skip_all('%s is missing' % tool)
    s = e2elib.Scenario('share', 0.2)
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, rawinput, env, dump = s.t, s.rawinput, s.env, s.dump

    with s:
        url = s.start_simulator()
        if os.environ.get('DSL_MAILTO_LOG'):
            # build-aux/flatpak-check.sh: in the sandbox the OpenURI portal starts the
            # session's mail program, which writes where this names.
            mailto_file = os.environ['DSL_MAILTO_LOG']
            if os.path.exists(mailto_file):
                os.remove(mailto_file)
        else:
            mailto_file = install_mailer(env, s.work)
        s.seed_account()
        root = s.start_app()
        portal_list = benchlib.tree_list(root, 30)
        if portal_list is None or benchlib.find_row(portal_list, 'Q3 report.docx', 30) is None:
            raise RuntimeError('no tree with "Q3 report.docx" (%s)' % dump('tree'))
        benchlib.focus_row(portal_list, 'Q3 report.docx')

        links = wait_for(lambda: root.findChild(
            lambda n: n.name == 'Links' and n.roleName in ('list', 'list box'),
            retry=False, requireResult=False), 20)
        row = links and wait_for(lambda: links.findChild(
            lambda n: n.name == 'Download blocked' and n.roleName in benchlib.ROW_ROLES,
            retry=False, requireResult=False), 20)
        if row is None:
            raise RuntimeError('no row "Download blocked" (%s)' % dump('links'))
        menu_button = wait_for(lambda: row.findChild(
            lambda n: e2elib_plain(n.name) == 'Link Menu' and n.roleName in
            ('push button', 'toggle button') and not any(
                c.roleName in ('push button', 'toggle button') for c in n.children),
            retry=False, requireResult=False), 10)
        press(menu_button)
        share = wait_for(lambda: root.findChild(
            lambda n: e2elib_plain(n.name) == 'Share…' and 'menu' in n.roleName,
            retry=False, requireResult=False), 10)
        t.check('the link row\'s menu has "Share…"', share is not None, dump('menu'))
        press(share)

        found = {}
        for name in NAMES:
            found[name] = wait_for(lambda name=name: root.findChild(
                lambda n: n.name == name and n.roleName == 'push button',
                retry=False, requireResult=False), 15)
        missing = [name for name, node in found.items() if node is None]
        t.check('the sheet\'s buttons are named once, as shown, without underscores: '
                + ', '.join(NAMES), not missing, 'missing %r (%s)' % (missing, dump('sheet')))
        image = wait_for(lambda: root.findChild(
            lambda n: n.name == 'QR code of the link' and n.roleName == 'image',
            retry=False, requireResult=False), 10)
        blocked_url = share_link(url, '401', 'Download blocked')
        t.check('the QR code is an image named "QR code of the link", described by the address',
                image is not None and image.description == blocked_url,
                'image %r, description %r' % (image, image and image.description))
        shown = root.findChild(lambda n: n.roleName == 'label' and n.name == blocked_url,
                               retry=False, requireResult=False)
        t.check('the sheet shows the address as text', shown is not None)
        benchlib.screenshot(s.artifact('share-sheet.png'))

        if not missing:
            press(found['Copy QR Code'])
            said = e2elib.find_toast(root, 'QR code copied')
            png = os.path.join(s.work, 'pasted.png')

            def pasted():
                data = clipboard('image/png', binary=True)
                if not data.startswith(b'\x89PNG'):
                    return None
                with open(png, 'wb') as handle:
                    handle.write(data)
                return zbar(png)
            decoded = wait_for(pasted, 10)
            t.check('"Copy QR Code" puts a PNG on the clipboard that decodes to the link',
                    decoded == blocked_url, 'decoded %r, TARGETS %r' % (
                        decoded, clipboard('TARGETS')))
            t.check('a toast says "QR code copied"', said is not None)

            press(found['Send by E-mail…'])
            uri = wait_for(lambda: os.path.exists(mailto_file)
                           and open(mailto_file).read(), 20)
            t.check('"Send by E-mail…" starts the mail program with a mailto: URI',
                    bool(uri) and uri.startswith('mailto:?subject='), 'uri %r' % uri)
            fields = dict(urllib.parse.parse_qsl(uri.split('?', 1)[1])) if uri else {}
            subject = fields.get('subject', '')
            body = fields.get('body', '')
            t.check('its subject names the item and the link',
                    subject == 'Link to “Q3 report.docx — Download blocked”', repr(subject))
            t.check('its body has the title, the link and the expiry (CRLF lines)',
                    body.startswith('“Q3 report.docx — Download blocked”\r\n' + blocked_url
                                    + '\r\n')
                    and ('Expires on' in body or 'Does not expire' in body), repr(body))

            press(found['Copy as Message'])
            message = wait_for(lambda: (lambda m: m if m.startswith('“') else None)(
                clipboard('text/plain;charset=utf-8')), 10)
            t.check('"Copy as Message" copies the mail\'s body',
                    message is not None and message.replace('\n', '\r\n') == body,
                    'message %r' % message)

        sheet = root.findChild(lambda n: n.roleName == 'frame'
                               and n.name == 'Q3 report.docx — Download blocked',
                               retry=False, requireResult=False)
        close = sheet and sheet.findChild(
            lambda n: n.name == 'Close' and n.roleName == 'push button',
            retry=False, requireResult=False)
        if close is not None:
            press(close)
        t.check('the sheet\'s "Close" closes it', close is not None and wait_for(
            lambda: root.findChild(lambda n: n.name == 'Copy QR Code', retry=False,
                                   requireResult=False) is None, 10), dump('after-close'))

        # Opened again and left open: quitting closes it with the window, cleanly.
        press(menu_button)
        press(wait_for(lambda: root.findChild(
            lambda n: e2elib_plain(n.name) == 'Share…' and 'menu' in n.roleName,
            retry=False, requireResult=False), 10))
        t.check('"Share…" opens the sheet again', wait_for(lambda: root.findChild(
            lambda n: n.name == 'Copy QR Code', retry=False, requireResult=False), 10)
            is not None)
        t.check('Ctrl+Q quits the app cleanly', s.quit_app() == 0)
    return s.finish()


def e2elib_plain(name):
    """The name without the doubling GTK 4.8 gives mnemonic menu items (their own test)."""
    name = (name or '').replace('_', '')
    half = len(name) // 2
    if len(name) % 2 == 1 and name[half] == ' ' and name[:half] == name[half + 1:]:
        return name[:half]
    return name


if __name__ == '__main__':
    sys.exit(main())
