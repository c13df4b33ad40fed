#!/usr/bin/env python3
"""Mutation smoke test of the importer and the scheme loader (make fuzz).

Three rounds, each never allowed to crash, hang or trip a sanitizer:

- exports: the bundled sample's May exports, damaged at random (flipped,
  deleted, inserted and duplicated bytes, stray markup, a DOCTYPE, NULs,
  huge numbers), each imported into a copy of a database that already
  holds May's roster, brands and targets: kaohe answers 0 (imported) or
  1 (rejected with a message);
- scheme (a third as many): templates/scheme-2013.xml damaged the same
  way and with numbers at and beyond its bounds, then May scored with it
  from a database holding the whole month: 0 or 1, or 3 with a message
  (the scheme refused);
- semantic (a third as many): well-formed exports that are wrong — the
  kind relabelled, every record removed or renamed, the period or the
  generated time moved (another year, the future, before its day) —
  imported into a copy of a database holding the whole of May: kaohe
  answers 0 or 1, and when it refuses a file the database is unchanged
  row for row;
- names (a thirtieth, at least 3): May's roster with names and groups a
  spreadsheet would run (=HYPERLINK(...), +, -, @, tab, CR, quotes,
  commas) and extra managers with ids such as ".a", "_.a", "..", "-x",
  run and rendered from scratch: scores.csv must hold no text cell a
  spreadsheet would run, and every manager must have a scorecard of its
  own.

Run it against the ASan/UBSan build:

    tests/fuzz/mutate.py KAOHE [SEED] [ITERATIONS]
"""
import csv
import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STRAY = [b'<', b'>', b'"', b'&amp;', b'&#0;', b'\xff\xfe', b'<!DOCTYPE x>',
         b'999999999999999999999', b'-1', b'..', b'\x00', b']]>', b'<?xml?>']
# numbers at and beyond the scheme's bounds (points within +-10000, cap 100)
NUMBERS = [b'10000', b'-10000', b'10000.01', b'9999.99', b'0.01', b'-0.01',
           b'100.00', b'100.01', b'0', b'92233720368547758.07',
           b'-92233720368547758.08', b'1000000']
HOSTILE = ['=HYPERLINK("http://x.example/","工资")', "=cmd|' /C calc'!A0", '+1',
           '-1.50', '@SUM(A1)', '\t王', '\r李', '"引号"', '逗,号', '换\n行', "'单引",
           '＝全角', '=', '-', '+', '@']
ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' + '._-' * 8


def fresh(tmp):
    """An empty output folder: each copy of a database is a record of its
    own, and kaohe keeps one record's chain heads in its output folder."""
    out = os.path.join(tmp, 'output')
    shutil.rmtree(out, ignore_errors=True)
    return out


def mutate(rng, data):
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(data))
        op = rng.random()
        if op < 0.4:
            data[pos] = rng.randrange(256)
        elif op < 0.6:
            del data[pos:pos + rng.randint(1, 50)]
        elif op < 0.8:
            data[pos:pos] = rng.choice(STRAY)
        else:
            a = rng.randrange(len(data))
            data[pos:pos] = data[a:a + rng.randint(1, 200)]
    return data


def mutate_numbers(rng, data):
    """Replace a few attribute values of a scheme by numbers near its bounds."""
    for _ in range(rng.randint(1, 4)):
        starts = [i + 1 for i in range(len(data) - 1) if data[i:i + 2] == b'="']
        if not starts:
            break
        a = rng.choice(starts)
        b = data.find(b'"', a)
        if b > a:
            data[a:b] = rng.choice(NUMBERS)
    return data


def is_broken(r, allowed):
    err = r.stderr.decode('utf-8', 'replace')
    return (r.returncode not in allowed or 'Sanitizer' in err or
            'runtime error' in err or
            (r.returncode != 0 and 'kaohe: ' not in err)), err


def xml_attr(s):
    out = []
    for ch in s:
        if ch in '<>&"' or ord(ch) < 32:
            out.append('&#%d;' % ord(ch))
        else:
            out.append(ch)
    return ''.join(out)


def hostile_roster(rng, path):
    """Hostile names and groups, and extra managers with odd ids; the ids."""
    s = open(path, encoding='utf-8').read()
    lines = s.split('\n')
    ids = []
    for i, l in enumerate(lines):
        if '<manager ' not in l:
            continue
        ids.append(l.split('id="', 1)[1].split('"', 1)[0])
        for attr in ('name', 'group'):
            if rng.random() < 0.5:
                v = rng.choice(HOSTILE) + rng.choice(['', '经理', 'x'])
                head, rest = l.split(' %s="' % attr, 1)
                l = head + ' %s="%s"' % (attr, xml_attr(v)) + rest[rest.index('"') + 1:]
        lines[i] = l
    extra = []
    while len(extra) < rng.randint(1, 4):
        new = ''.join(rng.choice(ID_CHARS) for _ in range(rng.randint(1, 6)))
        if new not in ids and new not in extra:
            extra.append(new)
    at = next(i for i, l in enumerate(lines) if '<customer ' in l)
    lines[at:at] = ['  <manager id="%s" name="%s" group="%s" status="active"/>' %
                    (m, xml_attr(rng.choice(HOSTILE)), xml_attr(rng.choice(HOSTILE)))
                    for m in extra]
    open(path, 'w', encoding='utf-8').write('\n'.join(lines))
    return ids + extra


def check_names(out, ids):
    """scores.csv safe for a spreadsheet, one scorecard a manager; '' if so."""
    if not os.path.exists(os.path.join(out, 'scores.csv')):
        return 'no scores.csv'
    rows = list(csv.reader(open(os.path.join(out, 'scores.csv'),
                                encoding='utf-8-sig', newline='')))
    cells = [c for r in rows[1:] for c in r[1:4]]
    unsafe = [c for c in cells if c[:1] in '=+-@\t\r']
    if unsafe:
        return 'unsafe cells in scores.csv: %r' % unsafe[:3]
    if len(rows) - 1 != len(ids):
        return 'scores.csv has %d rows for %d managers' % (len(rows) - 1, len(ids))
    cards = os.listdir(os.path.join(out, 'scorecards'))
    if len(cards) != len(ids) or any(c[:1] in '.-' for c in cards):
        return 'scorecards %r for managers %r' % (sorted(cards), ids)
    return ''


def main():
    kaohe = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else './kaohe'
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    files = sorted(glob.glob(os.path.join(ROOT, 'input/2013-05/**/*.xml'),
                             recursive=True))
    tmp = tempfile.mkdtemp(prefix='kaohe-fuzz.')
    base = os.path.join(tmp, 'base.db')
    k = [kaohe, '-q', '--templates', os.path.join(ROOT, 'templates')]
    subprocess.run(k + ['--output', fresh(tmp), '--db', base, 'import'] +
                   [f for f in files if any(w in f for w in
                                            ('roster', 'brands', 'targets'))],
                   capture_output=True, check=False)
    bad = 0
    for i in range(n):
        f = rng.choice(files)
        data = mutate(rng, bytearray(open(f, 'rb').read()))
        db = os.path.join(tmp, 't.db')
        shutil.copy(base, db)
        path = os.path.join(tmp, 'm.xml')
        with open(path, 'wb') as out:
            out.write(data)
        try:
            r = subprocess.run(k + ['--output', fresh(tmp), '--db', db,
                                    'import', path],
                               capture_output=True, timeout=60, check=False)
            err = r.stderr.decode('utf-8', 'replace')
            broken = (r.returncode not in (0, 1) or 'Sanitizer' in err or
                      'runtime error' in err or
                      (r.returncode == 1 and 'kaohe: ' not in err))
        except subprocess.TimeoutExpired:
            broken, err = True, 'timed out'
        if broken:
            bad += 1
            keep = os.path.join(ROOT, 'fuzz-%d.xml' % i)
            shutil.copy(path, keep)
            print('BAD #%d (from %s), kept as %s:\n%s' %
                  (i, os.path.basename(f), keep, err[-800:]))
    print('fuzz: exports: %d passed, %d failed' % (n - bad, bad))
    bad += fuzz_scheme(k, rng, files, tmp, max(1, n // 3))
    bad += fuzz_semantic(k, rng, files, tmp, max(1, n // 3))
    bad += fuzz_names(k, rng, tmp, max(3, n // 30))
    shutil.rmtree(tmp)
    print('fuzz: %d failed' % bad)
    sys.exit(1 if bad else 0)


def keep_bad(what, i, path, err):
    keep = os.path.join(ROOT, 'fuzz-%s-%d.xml' % (what, i))
    shutil.copy(path, keep)
    print('BAD %s #%d, kept as %s:\n%s' % (what, i, keep, err[-800:]))


def fuzz_scheme(k, rng, files, tmp, n):
    """Damaged schemes: refused with a message, or scored without a crash."""
    full = os.path.join(tmp, 'full.db')
    subprocess.run(k + ['--output', fresh(tmp), '--db', full, 'import'] +
                   files, capture_output=True,
                   check=False)
    tmpl = os.path.join(tmp, 'templates')
    shutil.copytree(os.path.join(ROOT, 'templates'), tmpl)
    scheme = os.path.join(tmpl, 'scheme-2013.xml')
    orig = open(scheme, 'rb').read()
    bad = refused = 0
    for i in range(n):
        data = bytearray(orig)
        data = mutate_numbers(rng, data) if rng.random() < 0.5 else mutate(rng, data)
        open(scheme, 'wb').write(data)
        db = os.path.join(tmp, 't.db')
        shutil.copy(full, db)
        try:
            r = subprocess.run([k[0], '-q', '--templates', tmpl, '--output',
                                fresh(tmp), '--db', db,
                                'score', '--month', '2013-05'],
                               capture_output=True, timeout=60, check=False)
            wrong, err = is_broken(r, (0, 1, 3))
            refused += r.returncode == 3
        except subprocess.TimeoutExpired:
            wrong, err = True, 'timed out'
        if wrong:
            bad += 1
            keep_bad('scheme', i, scheme, err)
    print('fuzz: scheme: %d passed (%d refused, %d scored), %d failed' %
          (n - bad, refused, n - bad - refused, bad))
    return bad


KINDS = [b'roster', b'brands', b'targets', b'orders', b'assessments']
PERIODS = [b'2012-12', b'2031-05', b'2013-06', b'2013-04', b'2013-05-31',
           b'2013-05-01', b'2014-01', b'2013-07']
GENERATED = [b'2031-01-01T00:00:00+08:00', b'2013-04-30T23:59:59+08:00',
             b'2013-05-01T00:00:00+08:00', b'2013-06-02T08:00:00+08:00',
             b'2012-12-31T23:00:00-12:00', b'2013-05-20T10:00:00+14:00']


def mutate_semantic(rng, data):
    """Well-formed, wrong: relabel, empty, rename, move period/generated."""
    import re
    op = rng.randrange(5)
    if op == 0:
        data = re.sub(rb'kind="[a-z]+"', b'kind="' + rng.choice(KINDS) + b'"',
                      data, count=1)
    elif op == 1:           # only the root: no record of its kind
        m = re.search(rb'<export[^>]*>', data)
        data = data[:m.end()] + b'</export>\n'
    elif op == 2:           # every record renamed: unknown elements only
        data = re.sub(rb'<(manager|customer|brand|target|key-brand|order|'
                      rb'line|record|void)\b', rb'<x-\1', data)
        data = re.sub(rb'</(order|record)>', rb'</x-\1>', data)
    elif op == 3:
        data = re.sub(rb'period="[0-9-]+"', b'period="' + rng.choice(PERIODS)
                      + b'"', data, count=1)
    else:
        data = re.sub(rb'generated="[^"]+"', b'generated="' +
                      rng.choice(GENERATED) + b'"', data, count=1)
    return data


def db_rows(db):
    import hashlib
    import sqlite3
    c = sqlite3.connect(db)
    h = hashlib.sha256()
    for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = "
                          "'table' ORDER BY name"):
        for row in sorted(repr(r) for r in c.execute('SELECT * FROM "%s"' % t)):
            h.update(row.encode())
    c.close()
    return h.hexdigest()


def fuzz_semantic(k, rng, files, tmp, n):
    """Well-formed but wrong exports: refused with nothing changed, or taken."""
    full = os.path.join(tmp, 'full.db')
    before = db_rows(full)
    bad = refused = 0
    env = dict(os.environ, KAOHE_NOW='2013-06-03T08:00:00+08:00')
    for i in range(n):
        f = rng.choice(files)
        data = mutate_semantic(rng, open(f, 'rb').read())
        db = os.path.join(tmp, 't.db')
        shutil.copy(full, db)
        path = os.path.join(tmp, 's.xml')
        with open(path, 'wb') as out:
            out.write(data)
        try:
            r = subprocess.run(k + ['--output', fresh(tmp), '--db', db,
                                    'import', path], env=env,
                               capture_output=True, timeout=60, check=False)
            wrong, err = is_broken(r, (0, 1))
            if not wrong and r.returncode == 1 and db_rows(db) != before:
                wrong, err = True, 'refused, but the database changed\n' + err
            refused += r.returncode == 1
        except subprocess.TimeoutExpired:
            wrong, err = True, 'timed out'
        if wrong:
            bad += 1
            keep_bad('semantic', i, path, err)
    print('fuzz: semantic: %d passed (%d refused, %d imported), %d failed' %
          (n - bad, refused, n - bad - refused, bad))
    return bad


def fuzz_names(k, rng, tmp, n):
    """Hostile names and ids through a whole run and its outputs."""
    bad = 0
    for i in range(n):
        work = os.path.join(tmp, 'names')
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, 'input', '2013-05'),
                        os.path.join(work, 'input', '2013-05'))
        roster = os.path.join(work, 'input', '2013-05', 'roster.xml')
        ids = hostile_roster(rng, roster)
        try:
            r = subprocess.run(k + ['--db', os.path.join(work, 'k.db'),
                                    '--input', os.path.join(work, 'input'),
                                    '--output', os.path.join(work, 'output'),
                                    'run', '--month', '2013-05'],
                               capture_output=True, timeout=300, check=False)
            wrong, err = is_broken(r, (0, 1))
            if not wrong:
                err = check_names(os.path.join(work, 'output', '2013-05'), ids)
                wrong = err != ''
        except subprocess.TimeoutExpired:
            wrong, err = True, 'timed out'
        if wrong:
            bad += 1
            keep_bad('names', i, roster, err)
    print('fuzz: names: %d passed, %d failed' % (n - bad, bad))
    return bad


if __name__ == '__main__':
    main()
