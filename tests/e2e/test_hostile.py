#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: a hostile portal (issue #14). The app is signed in to a proxy in front of
docspace-sim that answers the tree's first listing (GET /api/2.0/files/rooms) itself, one mode
per start of the app:

  deep          100,000 nested '[' (json-glib's recursive parser overflowed the stack: SIGSEGV)
  huge          Content-Length: 2,000,000,000 and a body that keeps coming
  chunked       a body without Content-Length that keeps coming (64 MiB)
  slow          a valid body sent one byte every 0.5 s (the client's timeout is per read;
                the app runs with DSL_REQUEST_TIMEOUT=3, so each attempt's deadline is 6 s)
  bigint        a room id beyond the 64-bit range (json-glib turns it into -1)
  wrongtypes    every member of the first room of the wrong type
  empty         200 with an empty body
  html          502 with an nginx-style HTML page
  markup-error  403 whose error message is `<a href="https://evil.example">…</a>`
  markup        a room titled `<a href="https://evil.example">R&D <team></a>`
  control       a room title with BEL, ESC and a lone surrogate escape
  badutf8       a room title with raw invalid UTF-8 bytes

For each: the app is still running after the answer; the tree shows a specific message (or,
for the titles, the room with its text); the account survives (GSettings and the keyring are
as before); a markup string appears literally in the accessibility tree, tags included.
Between modes the app is quit and started again. Prints TAP; needs build-aux/test-session.sh.
"""

import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2elib  # noqa: E402
from e2elib import benchlib, skip_all, wait_for  # noqa: E402

ROOMS = '/api/2.0/files/rooms'
EVIL_TITLE = '<a href="https://evil.example">R&D <team></a>'
EVIL_ERROR = '<a href="https://evil.example">Your session expired: click here</a>'

# mode -> words (lower case) one of which the window must show, or None for the title modes
MODES = [
    ('deep', ('cannot read',)),
    ('huge', ('too large',)),
    ('chunked', ('too large',)),
    ('slow', ('did not answer', 'in time', 'timed out')),
    ('bigint', ('cannot read',)),
    ('wrongtypes', ('cannot read', 'unexpected')),
    ('empty', ('cannot read', 'empty', 'unexpected')),
    ('html', ('502', 'unavailable', 'error')),
    ('markup-error', (EVIL_ERROR.lower(),)),
    ('markup', None),
    ('control', None),
    ('badutf8', None),
]


class Hostile(benchlib.Proxy):
    mode = 'none'


class HostileHandler(benchlib._ProxyHandler):
    def _raw(self, status, headers, chunks, delay=0.0):
        try:
            self.send_response_only(status)
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.flush()
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
                if delay:
                    time.sleep(delay)
        except OSError:
            pass   # the app hung up: what it should do
        self.close_connection = True

    def _listing(self):
        """The simulator's real answer to this listing, as a Python object."""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in self.hop_by_hop}
        answer, data = self._send_upstream(None, headers)
        return json.loads(data)

    def _json(self, status, text):
        data = text.encode('utf-8', 'surrogatepass') if isinstance(text, str) else text
        self._raw(status, [('Content-Type', 'application/json; charset=utf-8'),
                           ('Content-Length', str(len(data)))], [data])

    def do_GET(self):
        path = self.path.partition('?')[0]
        mode = self.server.mode
        if path != ROOMS or mode == 'none':
            return self._forward()
        self.server.record({'received': time.monotonic(), 'answered': time.monotonic(),
                            'method': 'GET', 'path': path, 'query': None, 'status': 0})
        json_type = [('Content-Type', 'application/json; charset=utf-8')]
        if mode == 'deep':
            return self._json(200, b'[' * 100000)
        if mode == 'huge':
            return self._raw(200, json_type + [('Content-Length', '2000000000')],
                             (b'{"response": [' + b'1,' * 32768 for _ in range(4096)))
        if mode == 'chunked':
            # Connection: close and no length: the body ends when the connection does.
            return self._raw(200, json_type + [('Connection', 'close')],
                             (b' ' * 65536 for _ in range(1024)))
        if mode == 'slow':
            body = json.dumps(self._listing()).encode()
            return self._raw(200, json_type + [('Content-Length', str(len(body)))],
                             (body[i:i + 1] for i in range(len(body))), delay=0.5)
        if mode == 'empty':
            return self._raw(200, json_type + [('Content-Length', '0')], [])
        if mode == 'html':
            page = b'<html><head><title>502 Bad Gateway</title></head><body>' \
                   b'<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>' \
                   b'</body></html>'
            return self._raw(502, [('Content-Type', 'text/html'),
                                   ('Content-Length', str(len(page)))], [page])
        if mode == 'markup-error':
            return self._json(403, json.dumps({
                'error': {'message': EVIL_ERROR, 'type': 'System.Security.SecurityException',
                          'stack': None, 'hresult': 0},
                'status': 1, 'statusCode': 403}))
        listing = self._listing()
        room = listing['response']['folders'][0]
        if mode == 'bigint':
            text = json.dumps(listing).replace('"id": %s' % json.dumps(room['id']),
                                               '"id": 99999999999999999999', 1)
            return self._json(200, text)
        if mode == 'wrongtypes':
            for key in list(room):
                value = room[key]
                room[key] = [] if isinstance(value, (str, int, float, bool)) else 'x'
            return self._json(200, json.dumps(listing))
        if mode == 'markup':
            room['title'] = EVIL_TITLE
            return self._json(200, json.dumps(listing))
        if mode == 'control':
            room['title'] = 'Bell\u0007 Esc\u001b[31m Lone\ud800 end'
            return self._json(200, json.dumps(listing))   # \ud800 as an escape
        if mode == 'badutf8':
            room['title'] = 'BADUTF8'
            return self._json(200, json.dumps(listing).encode().replace(
                b'BADUTF8', b'Bad \xff\xfe bytes'))
        return self._forward()


def texts(node, limit=4000):
    """Every accessible name and description below `node` (dogtail), lower case."""
    found, stack = [], [node]
    while stack and len(found) < limit:
        current = stack.pop()
        try:
            for text in (current.name, current.description):
                if text:
                    found.append(text)
            stack.extend(current.children)
        except Exception:   # the tree changes under us
            continue
    return found


def main():
    s = e2elib.Scenario('hostile')
    if s.skip_reason:
        return skip_all(s.skip_reason)
    t, env = s.t, s.env
    # The slow body: the client gives up after 2 x 3 s per attempt instead of minutes.
    env['DSL_REQUEST_TIMEOUT'] = '3'
    quiet = {k: v for k, v in env.items() if k != 'G_MESSAGES_DEBUG'}
    proxy = None

    def account_state():
        accounts = subprocess.run(['gsettings', 'get', benchlib.SCHEMA_ID, 'accounts'],
                                  env=quiet, capture_output=True, text=True, timeout=30).stdout
        secret = subprocess.run(['secret-tool', 'lookup', 'xdg:schema', benchlib.SCHEMA_ID,
                                 'portal', proxy.url, 'user', benchlib.OWNER_ID], env=quiet,
                                capture_output=True, text=True, timeout=30).stdout
        return accounts.strip(), secret == benchlib.OWNER_KEY

    with s:
        s.start_simulator()
        proxy = Hostile(s.url)
        proxy.RequestHandlerClass = HostileHandler
        s.on_exit(proxy.stop)
        s.on_exit(lambda: benchlib.clear_secret(env, proxy.url))
        benchlib.seed_account(env, proxy.url)
        before = account_state()
        t.check('the account is seeded (settings and keyring)', before[1] and before[0] != '',
                before)

        for mode, words in MODES:
            proxy.mode = mode
            asked = len(proxy.entries(ROOMS))
            root = s.start_app()
            answered = wait_for(lambda: len(proxy.entries(ROOMS)) > asked, 30)
            if not answered:
                t.check('%s: the app asked for the rooms' % mode, False)
                s.quit_app()
                continue
            if words is not None:
                shown = wait_for(lambda: next((x for x in texts(root)
                                               if any(w in x.lower() for w in words)), None),
                                 40 if mode == 'slow' else 20)
                t.check('%s: the window says so (%s)' % (mode, ' / '.join(words)),
                        shown is not None, s.dump(mode))
            elif mode == 'markup':
                shown = wait_for(lambda: EVIL_TITLE in texts(root), 20)
                t.check('markup: the room\'s title appears literally, tags included',
                        shown, s.dump(mode))
            else:
                word = 'Bell' if mode == 'control' else 'Bad '
                # json-glib 1.10 (Debian 13) refuses the lone surrogate escape that 1.6 passes
                # on: then the listing is a malformed answer, and the window says that instead.
                refused = 'malformed surrogate' if mode == 'control' else None
                shown = wait_for(lambda: next((x for x in texts(root) if word in x
                                               or (refused and refused in x)), None), 20)
                if shown and refused and refused in shown:
                    t.check('%s: the lone surrogate is refused as a malformed answer' % mode,
                            'malformed answer' in shown, shown)
                    shown = None
                else:
                    t.check('%s: the room is listed with its readable text' % mode,
                            shown is not None, s.dump(mode))
                if shown:
                    t.check('%s: no control character reaches the window' % mode,
                            not any(ord(c) < 0x20 and c not in '\n\t' for c in shown),
                            repr(shown))
            alive = s.app is not None and s.app.poll() is None
            t.check('%s: the app is still running' % mode, alive,
                    'exit status %s' % (s.app.poll() if s.app is not None else None))
            status = s.quit_app() if alive else None
            t.check('%s: Ctrl+Q quits cleanly' % mode, status == 0, 'exit status %s' % status)
            if s.app is not None:
                benchlib.stop(s.app)
                s.app = None
            t.check('%s: the account survives (settings and keyring)' % mode,
                    account_state() == before, account_state())
    return s.finish()


if __name__ == '__main__':
    sys.exit(main())
