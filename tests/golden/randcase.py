#!/usr/bin/env python3
"""randcase.py — a random but valid month of exports, for differential tests.

    randcase.py --seed 7 --out DIR [--month 2013-07[,2013-08...]]

Writes roster, brands, targets (sometimes a mid-month adjustment), orders
(a month file, a day file it supersedes and one generated after it) and
assessments (with voids, rate records on the same day, repeated praise,
panels) for one month, or for several, each in its own folder.  Every file
follows exports.md, so nothing should be rejected: run.sh scores the folder
with kaohe and with oracle.py and wants the same scores.csv, and exit
status 1 exactly when a manager is incomplete.  Same seed, same bytes.
"""

import argparse
import os
import random

NAMES = "张伟 李娜 王磊 陈静 杨帆 黄海 周敏 吴涛 徐丽 孙斌 马超 朱琳".split()
GROUPS = ["城区一组", "城区二组", "农村组", "城郊,东片"]
INDICATORS = ["total_volume", "low_grade_volume", "low_tar_volume",
              "key_brand_volume", "key_brand_shelf_rate", "revenue_per_case"]
UNIT_ITEMS = "1.1.1 1.3.2 1.3.4 1.3.6 2.3 3.2 4.1 6.1 7.1 8.3 9.1".split()
CUSTOMER_ITEMS = "1.3.2 1.3.3 1.3.4 1.3.7".split()


def money(r, lo, hi):
    """A random decimal with 2 fraction digits in [lo, hi]."""
    return "%.2f" % (r.randint(int(lo * 100), int(hi * 100)) / 100)


def export(path, kind, period, generated, body, encoding="UTF-8"):
    text = ('<?xml version="1.0" encoding="%s"?>\n<export kind="%s" unit="530421" '
            'period="%s" generated="%s">\n%s</export>\n'
            % (encoding, kind, period, generated, "".join(body)))
    with open(path, "wb") as f:
        f.write(text.encode(encoding.lower()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--month", default="2013-07", help="one month, or several: 2013-07,2013-08")
    a = ap.parse_args()
    r = random.Random(a.seed)
    months = a.month.split(",")
    for m in months:
        month(r, a.seed, m, os.path.join(a.out, m) if len(months) > 1 else a.out)


def month(r, seed, m, outdir):
    """One month's exports into outdir."""
    os.makedirs(outdir, exist_ok=True)
    out = lambda name: os.path.join(outdir, name)
    days = ["%s-%02d" % (m, d) for d in range(1, 29)]

    # roster: 3..6 of 8 managers (names fixed by id, groups vary by month),
    # 2..7 customers each
    mgrs = sorted(r.sample(["KM%03d" % (300 + i) for i in range(8)], r.randint(3, 6)))
    custs = {}
    body = []
    for k in mgrs:
        body.append('  <manager id="%s" name="%s" group="%s" status="%s" from="2010-01-01"/>\n'
                    % (k, NAMES[int(k[2:]) - 300], r.choice(GROUPS),
                       r.choice(["active"] * 4 + ["left"])))
    for k in mgrs:
        for j in range(r.randint(2, 7)):
            c = "53042%s%02d" % (k[2:], j)
            custs[c] = k
            body.append('  <customer id="%s" name="店%s" manager="%s" grade="9" '
                        'status="%s" opened="2009-01-01"/>\n'
                        % (c, c[-4:], k, r.choice(["open"] * 5 + ["suspended", "closed"])))
    export(out("roster.xml"), "roster", m, m + "-01T08:00:00+08:00", body,
           r.choice(["UTF-8", "GBK", "GB18030"]))

    # brands: 5..9, tar around the 8 mg line
    brands = {}
    body = []
    for i in range(r.randint(5, 9)):
        code = "69010280%05d" % (i * 37 + seed % 100)
        brands[code] = money(r, 8, 60)                     # price per 条
        body.append('  <brand code="%s" name="牌%d" class="%d" tar="%s"/>\n'
                    % (code, i, r.randint(1, 5), r.choice(["5", "6.5", "7.99", "8", "8.01", "10", "11"])))
    export(out("brands.xml"), "brands", m, m + "-01T08:05:00+08:00", body)
    codes = sorted(brands)

    # targets: a first set and, half the time, an adjustment replacing it
    for n, gen in enumerate([m + "-02T09:00:00+08:00", m + "-15T02:00:00+00:00"]):
        if n == 1 and r.random() < 0.5:
            break
        body = ['  <key-brand code="%s"/>\n' % c for c in r.sample(codes, r.randint(0, 3))]
        for k in mgrs:
            # given points: none, on total_volume and revenue_per_case (their
            # sum kept at 40), or on all six (then none may be missing)
            given = r.choice([None, None, "two", "all"])
            a, b = r.choice([2.5, 5, -4.25]), r.choice([2, -1.25, 0])
            points = {"total_volume": 20 + a, "revenue_per_case": 20 - a}
            if given == "all":
                points.update(low_grade_volume=5, low_tar_volume=5, key_brand_shelf_rate=5,
                              key_brand_volume=5 + b, revenue_per_case=20 - a - b)
            for ind in INDICATORS:
                p = r.random()
                if p < 0.06 and not (given == "all" or given and ind in points):
                    continue                                  # missing
                # zero: "none" for a key-brand target, else incomplete
                value = "0.00" if p < 0.10 else (
                    money(r, 40, 100) if ind == "key_brand_shelf_rate" else
                    money(r, 8000, 25000) if ind == "revenue_per_case" else
                    money(r, 0.05, 4 if ind == "total_volume" else 1.5))
                pts = ' points="%.2f"' % points[ind] if given and ind in points else ""
                body.append('  <target manager="%s" indicator="%s" value="%s"%s/>\n'
                            % (k, ind, value, pts))
        export(out("targets-%d.xml" % n), "targets", m, gen, body)

    # orders: a month file; day 29 is older (superseded), day 30 newer (in force)
    def order(oid, date):
        c = r.choice(sorted(custs))
        k = custs[c] if r.random() < 0.85 else r.choice(mgrs)
        lines = ""
        for b in r.sample(codes, r.randint(1, 3)):
            q = r.randint(1, 60)
            lines += '    <line brand="%s" qty="%d" amount="%.2f"/>\n' % (
                b, q, q * float(brands[b]))
        return ('  <order id="%s" date="%s" customer="%s" manager="%s">\n%s  </order>\n'
                % (oid, date, c, k, lines))
    body = [order("DD%s%04d" % (m.replace("-", ""), i), r.choice(days))
            for i in range(r.randint(15, 50))]
    export(out("orders-month.xml"), "orders", m, m + "-30T01:00:00+08:00", body)
    for day in (m + "-29", m + "-30"):
        body = [order("DD%s%02d" % (day.replace("-", ""), i), day) for i in range(r.randint(1, 4))]
        export(out("orders-%s.xml" % day), "orders", day, day + "T23:00:00+08:00", body)

    # assessments: two day files; the second voids some records of the first
    ids = []
    def record(rid, date):
        k, item = r.choice(mgrs), r.choice(UNIT_ITEMS + ["1.3.5", "3.3", "10.1", "10.2", "10.3"])
        extra = ""
        mine = [c for c in custs if custs[c] == k] or sorted(custs)
        if item in ("1.3.5", "3.3"):
            extra = ' value="%s" required="%s"' % (money(r, 85, 99), money(r, 90, 99))
        elif item == "10.1":
            extra = ' points="-%s" decision="考评小组会议"' % money(r, 0.5, 5)
        elif item == "10.2":
            extra = ' points="%s" decision="考评小组会议"' % money(r, 0.5, 3)
        elif item == "10.3" or (item in CUSTOMER_ITEMS and r.random() < 0.5):
            extra = ' customer="%s"' % r.choice(mine[:2])
        else:
            extra = ' count="%d"' % r.randint(1, 3)
        ids.append(rid)
        return ('  <record id="%s" date="%s" manager="%s" item="%s"%s recorder="王强" role="纪检监察员"/>\n'
                % (rid, date, k, item, extra))
    first = m + "-10"
    body = [record("KH%s-%d" % (first[5:], i), first) for i in range(r.randint(8, 20))]
    export(out("assessments-a.xml"), "assessments", first, first + "T18:00:00+08:00", body,
           r.choice(["UTF-8", "GBK"]))
    second = m + "-20"
    body = ['  <void id="V%s-%d" record="%s" date="%s" reason="复核后撤销" recorder="刘洋" role="组长"/>\n'
            % (second[5:], i, rid, second) for i, rid in enumerate(r.sample(ids, 3))]
    body += [record("KH%s-%d" % (second[5:], i), second) for i in range(r.randint(5, 15))]
    export(out("assessments-b.xml"), "assessments", second, second + "T18:00:00+08:00", body)


if __name__ == "__main__":
    main()
