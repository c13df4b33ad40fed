#!/usr/bin/env python3
"""Mutation smoke test of the importer (make fuzz).

Takes the bundled sample's May exports, damages them at random (flipped,
deleted, inserted and duplicated bytes, stray markup, a DOCTYPE, NULs,
huge numbers) and imports each into a copy of a database that already
holds May's roster, brands and targets.  kaohe must answer every file
with 0 (imported) or 1 (rejected with a message), never crash, hang or
trip a sanitizer.  Run it against the ASan/UBSan build:

    tests/fuzz/mutate.py KAOHE [SEED] [ITERATIONS]
"""
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


def main():
    kaohe = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else './kaohe'
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    files = sorted(glob.glob(os.path.join(ROOT, 'input/2013-05/**/*.xml'),
                             recursive=True))
    tmp = tempfile.mkdtemp(prefix='kaohe-fuzz.')
    base = os.path.join(tmp, 'base.db')
    k = [kaohe, '-q', '--templates', os.path.join(ROOT, 'templates')]
    subprocess.run(k + ['--db', base, 'import'] +
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
            r = subprocess.run(k + ['--db', db, 'import', path],
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
    shutil.rmtree(tmp)
    print('fuzz: %d passed, %d failed' % (n - bad, bad))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
