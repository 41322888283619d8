#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every translation listed in po/LINGUAS is complete and well formed.

For each language code in po/LINGUAS, po/CODE.po must exist and:
- pass `msgfmt --check` (header, format strings such as %s/%d/%1$s, plural formulas);
- have no untranslated and no fuzzy message (msgfmt --statistics agrees);
- declare its Plural-Forms header (nplurals=N; plural=...);
- give every plural message exactly N non-empty forms.
po/LINGUAS must list one code per line, sorted, none twice. Prints TAP.

Usage: check-translations.py SOURCE_ROOT
"""

import os
import re
import shutil
import subprocess
import sys

ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b',
           'f': '\f', 'v': '\v'}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
PLURAL_FORMS = re.compile(r'^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*\S.*$')


def unquote(text):
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise ValueError('not a quoted string: %s' % text)
    return re.sub(r'\\(.)', lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path):
    """The non-obsolete entries of a .po file: dicts with msgctxt, msgid,
    msgid_plural, msgstr (list of forms; one for singular messages), fuzzy."""
    entries = []
    entry = None
    field = None

    def finish():
        if entry is not None and entry.get('msgid') is not None:
            entries.append(entry)

    def new_entry():
        return {'msgctxt': None, 'msgid': None, 'msgid_plural': None, 'msgstr': {},
                'fuzzy': False, 'line': 0}

    with open(path, encoding='utf-8') as po:
        for number, line in enumerate(po, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#~'):
                if not line.strip():
                    finish()
                    entry, field = None, None
                continue
            if line.startswith('#'):
                if entry is not None and entry['msgid'] is not None:
                    finish()
                    entry, field = None, None
                if entry is None:
                    entry = new_entry()
                if line.startswith('#,') and 'fuzzy' in [f.strip() for f in line[2:].split(',')]:
                    entry['fuzzy'] = True
                continue
            match = KEYWORD.match(line)
            if match:
                keyword, index, value = match.group(1), match.group(2), unquote(match.group(3))
                if entry is None or (keyword in ('msgctxt', 'msgid') and
                                     entry['msgid'] is not None):
                    finish()
                    entry = new_entry()
                if not entry['line']:
                    entry['line'] = number
                if keyword.startswith('msgstr'):
                    field = ('msgstr', int(index) if index is not None else 0)
                    entry['msgstr'][field[1]] = value
                else:
                    field = keyword
                    entry[keyword] = value
                continue
            if line.lstrip().startswith('"') and field is not None:
                if isinstance(field, tuple):
                    entry['msgstr'][field[1]] += unquote(line)
                else:
                    entry[field] += unquote(line)
                continue
            raise ValueError('%s:%d: cannot parse: %s' % (path, number, line))
    finish()
    return entries


def describe(entry):
    text = entry['msgid'].replace('\n', '\\n')
    if len(text) > 60:
        text = text[:57] + '...'
    context = '%s|' % entry['msgctxt'] if entry['msgctxt'] is not None else ''
    return 'line %d: "%s%s"' % (entry['line'], context, text)


def linguas(root):
    codes = []
    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                codes.extend(line.split())
    return codes


def check_language(code, path, msgfmt):
    """(title, problems) pairs for one language."""
    checks = []
    if not os.path.isfile(path):
        return [('%s: po/%s.po exists' % (code, code), ['listed in LINGUAS but missing'])]

    env = dict(os.environ, LC_ALL='C', LANGUAGE='')
    run = subprocess.run([msgfmt, '--check', '--statistics', '-o', os.devnull, path],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, env=env)
    output = run.stdout.strip().splitlines()
    stats = output[-1] if output else ''
    errors = [] if run.returncode == 0 else (output or ['msgfmt exited with %d' % run.returncode])
    checks.append(('%s: msgfmt --check passes (formats, header, plural formula)' % code, errors))

    try:
        entries = read_po(path)
    except (ValueError, UnicodeDecodeError) as error:
        checks.append(('%s: the file can be read' % code, [str(error)]))
        return checks

    header = next((e for e in entries if e['msgid'] == '' and e['msgctxt'] is None), None)
    messages = [e for e in entries if e is not header]

    counted = []
    for what in ('untranslated message', 'fuzzy translation'):
        found = re.search(r'(\d+) %s' % what, stats)
        if found and int(found.group(1)) > 0:
            counted.append('msgfmt counts %s %ss' % (found.group(1), what))
    untranslated = ['untranslated: ' + describe(e) for e in messages
                    if not e['fuzzy'] and not all(e['msgstr'].values())]
    fuzzy = ['fuzzy: ' + describe(e) for e in messages if e['fuzzy']]
    checks.append(('%s: every message is translated, none fuzzy (%s)'
                   % (code, stats or 'no statistics'), counted + untranslated + fuzzy))

    nplurals = None
    header_problems = []
    if header is None:
        header_problems.append('no header entry')
    else:
        fields = dict(line.split(':', 1) for line in header['msgstr'].get(0, '').splitlines()
                      if ':' in line)
        value = fields.get('Plural-Forms')
        match = PLURAL_FORMS.match(value) if value is not None else None
        if value is None:
            header_problems.append('no Plural-Forms header')
        elif match is None:
            header_problems.append('malformed Plural-Forms header: %s' % value.strip())
        else:
            nplurals = int(match.group(1))
        if fields.get('Language', '').strip() != code:
            header_problems.append('Language header is "%s", not "%s"'
                                   % (fields.get('Language', '').strip(), code))
    checks.append(('%s: the header declares Plural-Forms and Language' % code, header_problems))

    plural_problems = []
    for entry in messages:
        if entry['msgid_plural'] is None:
            if set(entry['msgstr']) != {0}:
                plural_problems.append('msgstr[N] without msgid_plural: ' + describe(entry))
            continue
        forms = entry['msgstr']
        if nplurals is not None and sorted(forms) != list(range(nplurals)):
            plural_problems.append('%d forms instead of %d: %s'
                                   % (len(forms), nplurals, describe(entry)))
        elif not all(forms.values()):
            plural_problems.append('empty plural form: ' + describe(entry))
    if nplurals is None:
        plural_problems.insert(0, 'cannot count the forms without a Plural-Forms header')
    checks.append(('%s: every plural message has nplurals forms' % code, plural_problems))
    return checks


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    msgfmt = shutil.which('msgfmt')
    if msgfmt is None:
        print('1..0 # SKIP msgfmt (gettext) is not installed')
        return 0

    codes = linguas(root)
    checks = []
    problems = []
    if codes != sorted(codes):
        problems.append('expected order: ' + ', '.join(sorted(codes)))
    problems.extend('listed twice: %s' % c for c in sorted(set(c for c in codes
                                                              if codes.count(c) > 1)))
    checks.append(('LINGUAS is sorted, no code twice', problems))
    for code in sorted(set(codes)):
        checks.extend(check_language(code, os.path.join(root, 'po', code + '.po'), msgfmt))

    print('1..%d' % len(checks))
    failed = False
    for number, (title, problems) in enumerate(checks, 1):
        if problems:
            failed = True
            print('not ok %d - %s' % (number, title))
            for problem in problems:
                print('# %s' % problem)
        else:
            print('ok %d - %s' % (number, title))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
