#!/usr/bin/env python3
"""floors.py — the house rule of src/README.md, checked.

Reads the floor table of src/README.md (lines "| module | floor | ..."),
then every `#include "x.h"` of src/*.c and src/*.h, and fails when
  - a module is missing from the table (every module has a floor);
  - a file includes the header of a module on a higher floor;
  - modules include each other in a circle (on one floor).
A module is a .c/.h pair named alike; `x_int.h` belongs to module x.
Prints "floors: N passed, M failed".
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, 'src')


def module_of(name):
    base = os.path.splitext(os.path.basename(name))[0]
    return base[:-4] if base.endswith('_int') else base


def floors():
    table = {}
    for line in open(os.path.join(SRC, 'README.md'), encoding='utf-8'):
        m = re.match(r'\|\s*`?([a-z_0-9]+)`?\s*\|\s*(\d+)\s*\|', line)
        if m:
            table[m.group(1)] = int(m.group(2))
    return table


def main():
    table = floors()
    problems = []
    graph = {}
    files = sorted(glob.glob(os.path.join(SRC, '*.c')) + glob.glob(os.path.join(SRC, '*.h')))
    for f in files:
        mod = module_of(f)
        if mod not in table:
            problems.append('%s: module %s has no floor in src/README.md' % (os.path.basename(f), mod))
            continue
        for inc in re.findall(r'^#include "([^"]+)"', open(f, encoding='utf-8').read(), re.M):
            dep = module_of(inc)
            if dep == mod or dep == 'config':
                continue
            if dep not in table:
                problems.append('%s includes %s: no floor for %s' % (os.path.basename(f), inc, dep))
                continue
            graph.setdefault(mod, set()).add(dep)
            if table[dep] > table[mod]:
                problems.append('%s (floor %d) includes %s (floor %d): up a floor' %
                                (os.path.basename(f), table[mod], inc, table[dep]))
    # circles
    state = {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                problems.append('circle: ' + ' -> '.join(path[path.index(d):] + [d]))
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2
    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    for p in problems:
        print('FAIL floors: ' + p)
    print('floors: %d passed, %d failed' % (len(files), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
