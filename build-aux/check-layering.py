#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-layering.py SOURCE_DIR: the layers of DESIGN.md hold, as TAP.

  1. No file in src/core includes GTK or libadwaita, directly or through the project's headers
     it includes, and none includes a header of src/ui.
  2. Every file in src/ui uses GTK (a gtk_ or adw_ call, or a Gtk or Adw type): one that does
     not belongs in src/core.
  3. The modules of src/ui include each other in no circle: a module that includes a header
     which, directly or through other modules, includes it back. A module is dsl-foo.c and
     dsl-foo.h together, with dsl-foo-private.h and the files a class is split over, as GNOME
     Text Editor does (dsl-foo-form.c, dsl-foo-save.c: a .c with no header of its own, named
     after the module's; see module_of). Issue 16 broke the last circle (the signed-in account
     moved into src/core's DslSession); none may come back.

Only `#include "…"` of the project's own headers is followed; system headers by name."""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
GTK_HEADERS = ('gtk/', 'adwaita.h', 'gdk/', 'gsk/')
USES_GTK = re.compile(r'\b(gtk_|adw_|gdk_|Gtk[A-Z]|Adw[A-Z]|Gdk[A-Z]|GTK_|ADW_)')

# The circles among src/ui's modules on 2026-12-07, each as its sorted members.
def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def includes(path):
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    return [(kind, name) for kind, name in INCLUDE.findall(text)]


def module_of(name, stems):
    """The module of src/ui that the file `name` belongs to, `stems` being the names of src/ui's
    headers without ".h" (private ones left out): dsl-foo.c, dsl-foo.h and dsl-foo-private.h are
    module dsl-foo, and so is dsl-foo-bar.c when there is no dsl-foo-bar.h (the longest such
    dsl-foo); any other file is a module of its own."""
    stem = name.rsplit('.', 1)[0]
    if name.endswith('.h') and stem.endswith('-private'):
        return stem[:-len('-private')]
    if stem in stems or not name.endswith('.c'):
        return stem
    owners = [s for s in stems if stem.startswith(s + '-')]
    return max(owners, key=len) if owners else stem


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    core = os.path.join(root, 'src', 'core')
    ui = os.path.join(root, 'src', 'ui')
    headers = {}
    for directory in (core, ui):
        for name in os.listdir(directory):
            if name.endswith('.h'):
                headers[name] = os.path.join(directory, name)
    results = []

    def check(description, ok, diagnostics=()):
        results.append((description, ok, list(diagnostics)))

    # 1. GTK reached from src/core
    def reaches_gtk(path, seen):
        """The chain of includes from `path` to a GTK header, or None."""
        for kind, name in includes(path):
            if kind == '<' and name.startswith(GTK_HEADERS):
                return [name]
            if kind == '"' and name in headers and name not in seen:
                seen.add(name)
                if os.path.dirname(headers[name]) == ui:
                    return [name + ' (a header of src/ui)']
                chain = reaches_gtk(headers[name], seen)
                if chain is not None:
                    return [name] + chain
        return None

    problems = []
    for name in sorted(os.listdir(core)):
        if name.endswith(('.c', '.h')):
            chain = reaches_gtk(os.path.join(core, name), set())
            if chain is not None:
                problems.append('src/core/%s includes %s' % (name, ' → '.join(chain)))
    check('no file in src/core includes GTK, libadwaita or a header of src/ui', not problems,
          problems)

    # 2. src/ui files that do not use GTK
    problems = []
    modules = {}
    ui_files = sorted(n for n in os.listdir(ui) if n.endswith(('.c', '.h')))
    stems = {n[:-2] for n in ui_files if n.endswith('.h') and not n.endswith('-private.h')}
    for name in ui_files:
        modules.setdefault(module_of(name, stems), []).append(name)
    for module, files in sorted(modules.items()):
        text = ''
        for name in files:
            with open(os.path.join(ui, name), encoding='utf-8') as handle:
                text += strip_comments(handle.read())
        if not USES_GTK.search(text):
            problems.append('%s uses no GTK: it belongs in src/core' % ' and '.join(files))
    check('every module of src/ui uses GTK', not problems, problems)

    # 3. circles among src/ui's modules
    graph = {}
    for module, files in modules.items():
        edges = set()
        for name in files:
            for kind, included in includes(os.path.join(ui, name)):
                target = module_of(included, stems) if included in ui_files else None
                if kind == '"' and target in modules and target != module:
                    edges.add(target)
        graph[module] = edges
    circles = sorted(tuple(sorted(c)) for c in strongly_connected(graph))
    check('no circle of includes among the modules of src/ui', not circles,
          ['%s: %s' % (', '.join(c), describe(graph, c)) for c in circles])

    for number, (description, ok, diagnostics) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', number, description))
        for line in diagnostics:
            print('# ' + line)
    print('1..%d' % len(results))
    return 0 if all(ok for _, ok, _ in results) else 1


def describe(graph, circle):
    members = set(circle)
    return '; '.join('%s → %s' % (m, ', '.join(sorted(graph[m] & members)))
                     for m in sorted(members))


def strongly_connected(graph):
    """Tarjan's algorithm: the components of more than one module."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                result.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


if __name__ == '__main__':
    sys.exit(main())
