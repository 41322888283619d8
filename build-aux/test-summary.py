#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Count test cases over several `meson test` runs and print `N passed, N failed, N skipped`.

Usage: test-summary.py [--failed-step TEXT]... LABEL=TESTLOG.json...

Each TESTLOG is the meson-logs/testlog*.json of one run (one JSON object per test). A TAP test
counts each `ok` / `not ok` line: `# SKIP` is skipped, `not ok ... # TODO` is skipped, a plan
`1..0 # SKIP` is one skipped, `Bail out!` is one failure. A test without TAP lines counts as
one, by meson's result. A test that meson failed (crash, timeout, bad exit status) while its TAP
lines show no failure adds one failure, so a crash after the last `ok` is not lost.
Every --failed-step (a build step that failed, a run that produced no log) is one failure.
The last line printed is the total; the exit status is 1 when anything failed.
"""

import json
import re
import sys

TAP_RESULT = re.compile(r'^(not )?ok\b\s*(\d+)?\s*(?:-\s*)?([^#]*)(#\s*(\w+).*)?$',
                        re.IGNORECASE)
TAP_PLAN = re.compile(r'^1\.\.(\d+)\s*(#\s*skip\b.*)?$', re.IGNORECASE)
MESON_FAILURES = {'FAIL', 'TIMEOUT', 'ERROR', 'INTERRUPT', 'UNEXPECTEDPASS'}
MESON_PASSES = {'OK', 'EXPECTEDFAIL'}


def count_test(entry):
    """Returns (passed, failed, skipped, failed case names) for one test of a run."""
    passed = failed = skipped = 0
    failures = []
    tap_lines = 0
    plan_skip = False
    for line in (entry.get('stdout') or '').splitlines():
        line = line.rstrip()
        match = TAP_RESULT.match(line)
        if match:
            tap_lines += 1
            not_ok, _, description, _, directive = match.groups()
            directive = (directive or '').upper()
            if directive == 'SKIP' or (not_ok and directive == 'TODO'):
                skipped += 1
            elif not_ok:
                failed += 1
                failures.append(description.strip() or line)
            else:
                passed += 1
            continue
        plan = TAP_PLAN.match(line)
        if plan and plan.group(1) == '0':
            plan_skip = True
        elif line.startswith('Bail out!'):
            tap_lines += 1
            failed += 1
            failures.append(line)

    result = entry.get('result', 'ERROR')
    if tap_lines == 0:
        if plan_skip or result == 'SKIP':
            return 0, 0, 1, []
        if result in MESON_PASSES:
            return 1, 0, 0, []
        return 0, 1, 0, ['%s (%s, exit status %s)' % (entry.get('name'), result,
                                                      entry.get('returncode'))]
    if result in MESON_FAILURES and failed == 0:
        failed += 1
        failures.append('%s after its last TAP line (exit status %s)' % (
            result.lower(), entry.get('returncode')))
    return passed, failed, skipped, failures


def main(argv):
    failed_steps = []
    runs = []
    args = iter(argv)
    for arg in args:
        if arg == '--failed-step':
            failed_steps.append(next(args))
        else:
            label, _, path = arg.partition('=')
            runs.append((label, path))

    total = [0, 0, 0]
    print()
    print('Test summary')
    for label, path in runs:
        run = [0, 0, 0]
        lines = []
        try:
            with open(path, encoding='utf-8') as log:
                entries = [json.loads(line) for line in log if line.strip()]
        except (OSError, ValueError) as error:
            failed_steps.append('%s: no test log (%s)' % (label, error))
            continue
        for entry in entries:
            passed, failed, skipped, failures = count_test(entry)
            run[0] += passed
            run[1] += failed
            run[2] += skipped
            for failure in failures:
                lines.append('    FAILED %s: %s' % (entry.get('name'), failure))
        print('  %-10s %d passed, %d failed, %d skipped (%d tests)' % (
            label + ':', run[0], run[1], run[2], len(entries)))
        for line in lines:
            print(line)
        total = [a + b for a, b in zip(total, run)]

    for step in failed_steps:
        print('  FAILED step: %s' % step)
        total[1] += 1

    print('%d passed, %d failed, %d skipped' % tuple(total))
    return 1 if total[1] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
