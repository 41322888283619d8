#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-install.py BUILD_DIR APP_ID: `meson install` into a temporary DESTDIR puts every file
where a desktop finds it, and `gtk-launch APP_ID` then opens the window (TAP).

The desktop entry is DBusActivatable: the D-Bus service file (datadir/dbus-1/services/APP_ID
.service, Exec=BINDIR/docspace-links --gapplication-service) is checked, and gtk-launch goes
through it: the session bus of build-aux/test-session.sh gets a copy (Exec moved into the
DESTDIR) in its $XDG_DATA_HOME/dbus-1/services for the launch, and the app must run with
--gapplication-service.

The installed tree is read through the build's own options (prefix, bindir, datadir,
localedir), so a distribution's prefix works the same. gtk-launch runs with XDG_DATA_DIRS and
PATH pointing into the DESTDIR, the way a desktop session points at /usr; it needs the X server
of build-aux/test-session.sh (DISPLAY), and is skipped without one.
"""

import configparser
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

build_dir, app_id = sys.argv[1], sys.argv[2]
number = 0
failed = 0


def check(description, condition, diagnostics=''):
    global number, failed
    number += 1
    print('%s %d - %s' % ('ok' if condition else 'not ok', number, description), flush=True)
    if not condition:
        failed += 1
        for line in str(diagnostics).splitlines():
            print('# ' + line, flush=True)


def skip(description, reason):
    global number
    number += 1
    print('ok %d - %s # SKIP %s' % (number, description, reason), flush=True)


options = {o['name']: o['value'] for o in json.loads(subprocess.run(
    ['meson', 'introspect', '--buildoptions', build_dir],
    check=True, capture_output=True, text=True).stdout)}
prefix = options['prefix']


def under(option):
    value = options[option]
    return value if os.path.isabs(value) else os.path.join(prefix, value)


destdir = tempfile.mkdtemp(prefix='dsl-install-')
try:
    result = subprocess.run(['meson', 'install', '-C', build_dir, '--no-rebuild',
                             '--destdir', destdir, '--quiet'],
                            capture_output=True, text=True)
    check('meson install into a DESTDIR succeeds', result.returncode == 0,
          result.stdout + result.stderr)

    def root(path):
        return destdir + path

    bindir, datadir, localedir = under('bindir'), under('datadir'), under('localedir')
    expected = {
        'the binary': os.path.join(bindir, 'docspace-links'),
        'the desktop file': os.path.join(datadir, 'applications', app_id + '.desktop'),
        'the metainfo': os.path.join(datadir, 'metainfo', app_id + '.metainfo.xml'),
        'the app icon': os.path.join(datadir, 'icons', 'hicolor', 'scalable', 'apps',
                                     app_id + '.svg'),
        'the symbolic icon': os.path.join(datadir, 'icons', 'hicolor', 'symbolic', 'apps',
                                          app_id + '-symbolic.svg'),
        'the GSettings schema': os.path.join(datadir, 'glib-2.0', 'schemas',
                                             'io.github.dslinks.DocSpaceLinks.gschema.xml'),
        'the autostart entry': os.path.join(datadir, 'docspace-links', 'autostart',
                                            app_id + '.desktop'),
        'the D-Bus service file': os.path.join(datadir, 'dbus-1', 'services',
                                               app_id + '.service'),
        'the search provider': os.path.join(datadir, 'gnome-shell', 'search-providers',
                                            app_id + '.search-provider.ini'),
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'po',
                           'LINGUAS')) as linguas:
        for line in linguas:
            lang = line.split('#')[0].strip()
            if lang:
                expected['the %s translation' % lang] = os.path.join(
                    localedir, lang, 'LC_MESSAGES', 'docspace-links.mo')
    for what, path in expected.items():
        check('%s is installed at %s' % (what, path), os.path.isfile(root(path)))
    # The installed icon is the profile's: the striped .Devel one for -Dprofile=development.
    icons = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'icons',
                         'hicolor', 'scalable', 'apps')
    source_icon = os.path.join(icons, 'io.github.dslinks.DocSpaceLinks'
                               + ('.Devel' if app_id.endswith('.Devel') else '') + '.svg')
    if os.path.isfile(root(expected['the app icon'])):
        with open(root(expected['the app icon']), 'rb') as a, open(source_icon, 'rb') as b:
            check('the app icon is %s' % os.path.basename(source_icon), a.read() == b.read())
    # The Shell reads these four keys; the object path is GApplication's for the app ID.
    provider = configparser.ConfigParser(interpolation=None)
    provider.optionxform = str
    if os.path.isfile(root(expected['the search provider'])):
        provider.read(root(expected['the search provider']))
    section = provider['Shell Search Provider'] if provider.has_section(
        'Shell Search Provider') else {}
    wanted = {'DesktopId': app_id + '.desktop', 'BusName': app_id,
              'ObjectPath': '/' + app_id.replace('.', '/') + '/SearchProvider', 'Version': '2'}
    check('the search provider names %s' % wanted,
          all(section.get(k) == v for k, v in wanted.items()), str(dict(section)))
    check('the binary is executable',
          os.access(root(expected['the binary']), os.X_OK))

    # D-Bus activation: the desktop entry says DBusActivatable, and the service file of the same
    # name starts the installed binary in service mode (a notification's button while the app
    # is closed; GNOME Shell's launcher).
    def keys(path, group):
        found, values = False, {}
        try:
            with open(root(path)) as handle:
                for line in handle:
                    line = line.strip()
                    if line.startswith('['):
                        found = line == '[%s]' % group
                    elif found and '=' in line and not line.startswith('#'):
                        key, _, value = line.partition('=')
                        values.setdefault(key.strip(), value.strip())
        except OSError:
            pass
        return values
    entry = keys(expected['the desktop file'], 'Desktop Entry')
    check('the desktop entry is DBusActivatable and uses notifications',
          entry.get('DBusActivatable') == 'true'
          and entry.get('X-GNOME-UsesNotifications') == 'true', entry)
    service = keys(expected['the D-Bus service file'], 'D-BUS Service')
    check('the service file is named after the app ID (Name=%s)' % app_id,
          service.get('Name') == app_id, service)
    wanted_exec = os.path.join(bindir, 'docspace-links') + ' --gapplication-service'
    check('the service file starts the installed binary in service mode (Exec=%s)'
          % wanted_exec, service.get('Exec') == wanted_exec, service)

    installed = sorted(os.path.relpath(os.path.join(d, f), destdir)
                       for d, _, files in os.walk(destdir) for f in files)
    print('# installed:\n' + '\n'.join('#   /' + p for p in installed), flush=True)

    # gtk-launch: the desktop entry found through XDG_DATA_DIRS starts the installed binary.
    launcher = shutil.which('gtk-launch')
    if launcher is None or not os.environ.get('DISPLAY'):
        skip('gtk-launch %s opens the window' % app_id,
             'no gtk-launch' if launcher is None else 'no display')
    else:
        schemas = root(os.path.join(datadir, 'glib-2.0', 'schemas'))
        subprocess.run(['glib-compile-schemas', schemas], check=True)
        home = tempfile.mkdtemp(prefix='dsl-install-home-')
        env = dict(os.environ)
        env.update({
            'XDG_DATA_DIRS': root(datadir) + ':' + env.get('XDG_DATA_DIRS',
                                                         '/usr/local/share:/usr/share'),
            'PATH': root(bindir) + ':' + env['PATH'],
            'GSETTINGS_SCHEMA_DIR': schemas,
            'GSETTINGS_BACKEND': 'memory',
            'HOME': home,
            'XDG_CONFIG_HOME': os.path.join(home, '.config'),
            'XDG_DATA_HOME': os.path.join(home, '.local', 'share'),
            'XDG_CACHE_HOME': os.path.join(home, '.cache'),
        })
        binary = root(expected['the binary'])
        # DBusActivatable: gtk-launch asks the session bus to start APP_ID, and the bus reads
        # its service files from the session's own data directories, not from XDG_DATA_DIRS
        # above. The installed service file goes there (its Exec moved into the DESTDIR) for
        # this launch; the bus is told to read it again, and again once it is removed.
        bus_services = os.path.join(os.environ.get('XDG_DATA_HOME') or
                                    os.path.join(os.path.expanduser('~'), '.local', 'share'),
                                    'dbus-1', 'services')
        session_service = os.path.join(bus_services, app_id + '.service')
        os.makedirs(bus_services, exist_ok=True)
        with open(root(expected['the D-Bus service file'])) as source, \
                open(session_service, 'w') as copy:
            copy.write(source.read().replace('Exec=' + os.path.join(bindir, 'docspace-links'),
                                             'Exec=' + binary))
        subprocess.run(['dbus-send', '--session', '--type=method_call',
                        '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
                        'org.freedesktop.DBus.ReloadConfig'], check=False, timeout=30)
        # The launched app inherits the launcher's output: a file, not a pipe to wait on.
        log_path = os.path.join(home, 'launch.log')
        with open(log_path, 'w') as log:
            launch = subprocess.run([launcher, app_id], env=env, stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL, timeout=30)
        with open(log_path) as log:
            check('gtk-launch %s succeeds' % app_id, launch.returncode == 0, log.read())
        window, pids = False, []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not window:
            tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True,
                                  text=True).stdout
            window = '"DocSpace Links"' in tree
            if not window:
                time.sleep(0.25)
        pids, service_mode = [], False
        for pid in filter(str.isdigit, os.listdir('/proc')):
            # The app makes itself non-dumpable (prctl): its /proc/PID/exe cannot be read by
            # another process, its cmdline can.
            try:
                with open('/proc/%s/cmdline' % pid, 'rb') as cmdline:
                    argv = [a.decode(errors='replace') for a in cmdline.read().split(b'\0')]
                argv0 = argv[0]
            except OSError:
                continue
            if os.path.basename(argv0) != os.path.basename(binary):
                continue
            try:
                if os.path.isabs(argv0) and not os.path.samefile(argv0, binary):
                    continue
            except OSError:
                continue
            pids.append(pid)
            service_mode |= '--gapplication-service' in argv[1:]
        check('the installed binary runs after gtk-launch', len(pids) > 0)
        check('started by D-Bus activation (--gapplication-service)', service_mode)
        check('a window titled "DocSpace Links" appears', window)
        for pid in pids:
            os.kill(int(pid), signal.SIGTERM)
        os.remove(session_service)
        subprocess.run(['dbus-send', '--session', '--type=method_call',
                        '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
                        'org.freedesktop.DBus.ReloadConfig'], check=False, timeout=30)
        shutil.rmtree(home, ignore_errors=True)
finally:
    shutil.rmtree(destdir, ignore_errors=True)

print('1..%d' % number, flush=True)
sys.exit(1 if failed else 0)
