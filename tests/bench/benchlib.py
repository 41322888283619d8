# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers shared by build-aux/bench.py and tests/e2e/test_tree.py.

- docspace-sim: start it (--port 0, first stdout line = URL), read and clear its request log;
- Proxy: a loopback HTTP proxy in front of the simulator that stamps every request with
  time.monotonic() (CLOCK_MONOTONIC, the clock of g_get_monotonic_time() in the app), since the
  simulator's log has no times;
- a signed-in start with no typing: the owner's key in the session's Secret Service (secret-tool,
  the secret on stdin) and the account in GSettings (keyfile backend in a private config dir);
- frame statistics written by src/ui/dsl-frame-stats.c (DSL_FRAME_STATS=<path>, SIGUSR1);
- the app's resident memory, screenshots, and printing the accessibility tree.
Only the standard library here; dogtail is imported by the callers inside the session.
"""

import http.client
import http.server
import json
import os
import select
import signal
import socketserver
import subprocess
import threading
import time
import urllib.parse
import urllib.request

SCHEMA_ID = 'io.github.dslinks.DocSpaceLinks'
OWNER_ID = 'a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01'
OWNER_NAME = 'Olivia Owner'
OWNER_KEY = 'sk-demo-owner'


# --- processes -------------------------------------------------------------------------------

def start_simulator(sim, log, *options):
    """Starts docspace-sim --port 0 OPTIONS...; returns (process, url)."""
    process = subprocess.Popen([sim, '--port', '0', *options], stdout=subprocess.PIPE,
                               stderr=log, stdin=subprocess.DEVNULL)
    ready, _, _ = select.select([process.stdout], [], [], 20)
    line = process.stdout.readline().decode().strip() if ready else ''
    if not line.startswith('http'):
        stop(process)
        raise RuntimeError('docspace-sim printed no URL (got %r)' % line)
    return process, line


def stop(process, timeout=10):
    """SIGTERM, then SIGKILL after `timeout` seconds; by this process object only."""
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


def sim_clear_requests(url):
    request = urllib.request.Request(url + '/__sim/requests', method='DELETE')
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


LINK_FIELDS = {'title': 'title', 'access': 'access', 'password': 'password',
               'internal': 'internal', 'deny_download': 'denyDownload',
               'expiration_date': 'expirationDate'}


def change_link(sim_url, link_id, **fields):
    """A second administrator changes a link through POST /__sim/links/{link_id} (no rule checks,
    no audit event, not in the request log): any of title, access, password ('' or None removes
    it), internal, deny_download, expiration_date (an ISO 8601 str, or None = never expires).
    Returns the link's new JSON (FileShareDto). Raises urllib.error.HTTPError on 400/404."""
    unknown = set(fields) - set(LINK_FIELDS)
    if unknown:
        raise TypeError('change_link: unknown fields %s' % ', '.join(sorted(unknown)))
    body = json.dumps({LINK_FIELDS[name]: value for name, value in fields.items()}).encode()
    request = urllib.request.Request(
        sim_url + '/__sim/links/' + urllib.parse.quote(link_id, safe=''), data=body,
        method='POST', headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def delete_link(sim_url, link_id):
    """A second administrator removes a link (DELETE /__sim/links/{link_id}; a primary link too,
    gone as if deleted). Raises urllib.error.HTTPError 404 when there is no such link."""
    request = urllib.request.Request(
        sim_url + '/__sim/links/' + urllib.parse.quote(link_id, safe=''), method='DELETE')
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def query_values(query, name):
    """All values of `name` in a raw query string (None = no query)."""
    return urllib.parse.parse_qs(query or '', keep_blank_values=True).get(name, [])


def rss_kib(pid):
    """VmRSS of a process in KiB (from /proc/PID/status), or None."""
    try:
        with open('/proc/%d/status' % pid) as status:
            for line in status:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def catches_signal(pid, signum):
    """TRUE once the process has a handler for `signum` (SigCgt in /proc/PID/status): sending
    SIGUSR1 before dsl-frame-stats installed its handler would kill the app."""
    try:
        with open('/proc/%d/status' % pid) as status:
            for line in status:
                if line.startswith('SigCgt:'):
                    return bool(int(line.split()[1], 16) & (1 << (signum - 1)))
    except OSError:
        pass
    return False


def wait_for(predicate, timeout, interval=0.1):
    """Calls predicate() until it returns something true (exceptions count as false)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # the tree changes under us while we look
            pass
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


# --- frame statistics (src/ui/dsl-frame-stats.c) ---------------------------------------------

def read_frame_stats(process, path, ready=None, timeout=30):
    """Asks the process for its frame statistics (SIGUSR1) until ready(stats) holds; returns the
    stats (dict) or None. Never signals before the handler is installed."""
    if not wait_for(lambda: process.poll() is None and catches_signal(process.pid,
                                                                      signal.SIGUSR1),
                    timeout, 0.02):
        return None
    deadline = time.monotonic() + timeout
    stats = None
    while time.monotonic() < deadline and process.poll() is None:
        before = os.stat(path).st_mtime_ns if os.path.exists(path) else 0
        os.kill(process.pid, signal.SIGUSR1)
        wait_for(lambda: os.path.exists(path) and os.stat(path).st_mtime_ns != before, 5, 0.02)
        try:
            with open(path) as f:
                stats = json.load(f)
        except (OSError, ValueError):
            stats = None
        if stats is not None and (ready is None or ready(stats)):
            return stats
        time.sleep(0.1)
    return None


def toggle_ticking(process):
    """SIGUSR2: the window paints every frame (or stops doing so)."""
    os.kill(process.pid, signal.SIGUSR2)


# --- a signed-in start with no typing ---------------------------------------------------------

def private_settings_env(env, directory, schema_dir):
    """`env` with GSettings in a keyfile under `directory` (kept across app starts, unlike the
    memory backend), so the account can be seeded before the app starts."""
    env = dict(env)
    env['XDG_CONFIG_HOME'] = os.path.join(directory, 'config')
    os.makedirs(env['XDG_CONFIG_HOME'], exist_ok=True)
    env['GSETTINGS_BACKEND'] = 'keyfile'
    env['GSETTINGS_SCHEMA_DIR'] = schema_dir
    # The expiry reminders walk the whole portal 2 minutes after sign-in: in a slow run that
    # overlaps what a figure or a scenario counts. test_reminders asks for it after 1 s.
    env.setdefault('DSL_REMINDER_SCAN_DELAY', '86400')
    return env


# The app's window in every figure, and the minimal window's in the start-up figure (the first
# frame of a bigger window costs more to paint, so both are compared at the same size).
WINDOW_SIZE = (1200, 760)


def seed_account(env, url, key=OWNER_KEY, user=OWNER_ID, name=OWNER_NAME):
    """The owner's key in the keyring (read from stdin: never on a command line) and the account
    as the last one used in GSettings, as build-aux/run-demo.sh does."""
    subprocess.run(['secret-tool', 'store', '--label', 'DocSpace Links: %s' % name,
                    'xdg:schema', SCHEMA_ID, 'portal', url, 'user', user],
                   input=key.encode(), env=env, check=True, timeout=30,
                   stdout=subprocess.DEVNULL)
    accounts = "[('%s', '%s', '%s')]" % (url, user, name)
    subprocess.run(['gsettings', 'set', SCHEMA_ID, 'accounts', accounts], env=env, check=True,
                   timeout=30)
    subprocess.run(['gsettings', 'set', SCHEMA_ID, 'last-account', "'%s %s'" % (user, url)],
                   env=env, check=True, timeout=30)
    # Tall enough for every room of --scale 1 and the expanded folders (Xvfb is 1280x800).
    for key, value in (('window-width', str(WINDOW_SIZE[0])),
                       ('window-height', str(WINDOW_SIZE[1]))):
        subprocess.run(['gsettings', 'set', SCHEMA_ID, key, value], env=env, check=True,
                       timeout=30)


def clear_secret(env, url, user=OWNER_ID):
    subprocess.run(['secret-tool', 'clear', 'xdg:schema', SCHEMA_ID, 'portal', url, 'user', user],
                   env=env, check=False, timeout=30)


# --- a proxy that stamps requests -------------------------------------------------------------

class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # Headers and body go out as two writes: without TCP_NODELAY the body can wait for the
    # client's delayed ACK (40 ms on Linux), a stall of the proxy's, not of the app's.
    disable_nagle_algorithm = True
    hop_by_hop = {'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding',
                  'content-length', 'te', 'trailer', 'upgrade'}

    def log_message(self, *args):
        pass

    def _send_upstream(self, body, headers):
        if getattr(self, 'upstream', None) is None:
            self.upstream = http.client.HTTPConnection(*self.server.target, timeout=120)
        self.upstream.request(self.command, self.path, body, headers)
        answer = self.upstream.getresponse()
        return answer, answer.read()

    def _reply(self, status, reason, headers, data):
        self.send_response_only(status, reason)
        for name, value in headers:
            if name.lower() not in self.hop_by_hop:
                self.send_header(name, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _forward(self):
        received = time.monotonic()
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else None
        path, _, query = self.path.partition('?')
        instead = self.server.answer_instead(self.command, path)
        if instead is not None:
            status, data = instead
            self._reply(status, None, [('Content-Type', 'application/json; charset=utf-8')],
                        data)
        else:
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in self.hop_by_hop}
            try:
                answer, data = self._send_upstream(body, headers)
            except (http.client.HTTPException, OSError):
                self.upstream = None   # the simulator closed a kept-alive connection: once more
                answer, data = self._send_upstream(body, headers)
            status = answer.status
            self._reply(status, answer.reason, answer.getheaders(), data)
        self.server.record({'received': received, 'answered': time.monotonic(),
                            'method': self.command, 'path': path, 'query': query or None,
                            'status': status})

    do_GET = do_POST = do_PUT = do_DELETE = _forward


class Proxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Proxy(target_url): listens on 127.0.0.1 (a free port), forwards to the simulator and
    keeps `log`: one dict per request with 'received'/'answered' in time.monotonic() seconds."""
    daemon_threads = True

    def __init__(self, target_url):
        parsed = urllib.parse.urlsplit(target_url)
        self.target = (parsed.hostname, parsed.port)
        self.log = []
        self.lock = threading.Lock()
        super().__init__(('127.0.0.1', 0), _ProxyHandler)
        self.url = 'http://127.0.0.1:%d' % self.server_address[1]
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def answer_instead(self, method, path):
        """(status, JSON body) to answer a request with in the simulator's place, or None to
        forward it. A subclass decides (the fault proxy of test_links)."""
        return None

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def entries(self, path=None):
        with self.lock:
            return [e for e in self.log if path is None or e['path'] == path]

    def stop(self):
        self.shutdown()
        self.server_close()


# --- looking at the window --------------------------------------------------------------------

def screenshot(path, settle=1.0):
    time.sleep(settle)   # let transitions (200 ms crossfades) finish drawing
    subprocess.run(['import', '-window', 'root', path], check=False, timeout=30,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def colour_count(path):
    """Distinct colours in an image: an empty or black screen has one or two."""
    try:
        out = subprocess.run(['identify', '-format', '%k', path], check=True, timeout=30,
                             capture_output=True, text=True).stdout
        return int(out.strip() or 0)
    except (subprocess.SubprocessError, ValueError, OSError):
        return 0


def dump_tree(node, depth=0, limit=400, lines=None):
    """The accessibility tree below `node` as text (role and name; not the actions, whose names
    GTK 4.8 leaks), at most `limit` lines."""
    if lines is None:
        lines = []
    if len(lines) >= limit:
        return lines
    try:
        lines.append('%s%s "%s"' % ('  ' * depth, node.roleName, node.name))
        for child in node.children:
            dump_tree(child, depth + 1, limit, lines)
    except Exception as error:
        lines.append('%s<%s>' % ('  ' * depth, error))
    return lines


# --- the tree through dogtail (nodes are dogtail.tree.Node; no dogtail import here) -----------

ROW_ROLES = ('list item', 'table row', 'tree item', 'table cell')


def find_named(parent, name, roles=None):
    """The first node below `parent` named `name` (with one of `roles`), or None. No retries:
    wrap it in wait_for(). GTK 4.8 sets no "showing" state, and every page of a GtkStack is in
    the tree, so search inside the right container (the list "Portal" for rows)."""
    return parent.findChild(
        lambda n: n.name == name and (roles is None or n.roleName in roles),
        retry=False, requireResult=False)


def row_of(node):
    """The list row that holds `node` (node itself when it is one), or None."""
    while node is not None and node.roleName not in ROW_ROLES:
        node = node.parent
    return node


def find_row(parent, name, timeout=20):
    """The row named `name` (rows are named by their titles), waiting up to `timeout` s."""
    return wait_for(lambda: find_named(parent, name, ROW_ROLES), timeout, 0.1)


def tree_list(app, timeout=20):
    """The tree's list view: accessible name "Portal" (the contract), else the first list."""
    return wait_for(lambda: find_named(app, 'Portal', ('list', 'tree', 'tree table'))
                    or app.findChild(lambda n: n.roleName in ('list', 'tree', 'tree table'),
                                     retry=False, requireResult=False),
                    timeout, 0.2)


def focus_row(parent, name, timeout=10):
    """Clicks the title of row `name`: the row gets the keyboard focus (and is selected).
    GTK 4.8 answers AT-SPI GrabFocus with an error, so this is a real (XTest) click."""
    row = find_row(parent, name, timeout)
    if row is None:
        raise RuntimeError('no row "%s"' % name)
    target = row.findChild(lambda n: n.name == name and n.roleName == 'label',
                           retry=False, requireResult=False) or row
    target.click()
    time.sleep(0.3)
    return row


def expand_row(parent, name, child, rawinput, timeout=10):
    """Expands the row `name` until a row `child` is below `parent`, as a keyboard user would:
    a click on its title (focus), then Right (the tree's tree.expand-row; GTK 4.8's own expander
    never sees the key), then Shift+Right and plus. Not through GtkTreeExpander's AT-SPI actions:
    GTK 4.8 leaks the action-name lists it builds for every such call, which fails the asan
    setup's leak check. Returns the key that worked; raises RuntimeError otherwise."""
    if find_named(parent, child, ROW_ROLES) is not None:
        return 'already expanded'
    focus_row(parent, name, timeout)
    for keys in ('Right', '<Shift>Right', 'plus'):
        rawinput.keyCombo(keys)
        if wait_for(lambda: find_named(parent, child, ROW_ROLES), timeout, 0.05):
            return keys
    raise RuntimeError('"%s" did not appear after expanding "%s"' % (child, name))
