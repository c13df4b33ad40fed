#!/usr/bin/env python3
"""oracle.py — an independent reading of the 2013 method, for golden tests.

Reads a folder of marketing-system exports (every *.xml below it) the way
one `kaohe run` imports them (exports.md), scores a month the way
scoring.md says, and prints the scores.csv or annual.csv that
interface.md prescribes.  It shares no code with kaohe on purpose: when
both agree, two readings of the specification agree.

    oracle.py --input DIR --month 2013-05 [--status final|provisional]
    oracle.py --input DIR --annual 2013 --months 2013-04,2013-05
    (--runs N: as after N runs, each retrying the files rejected before)

Python 3 standard library only.  Exact arithmetic with Fraction; the one
rounding (half away from zero, to hundredths) is written out by hand.
Rejected files are named on stderr, as kaohe names them.

Where the pages are silent, this reading chooses (and says so here):
- a month without its own roster uses the latest earlier roster;
- order lines of every orders file in force are summed (no merging by id);
- an indicator whose points moved away prints 0.00;
- two files of one kind and period with the same `generated`: the first
  in path order is kept, the other rejected.
"""

import argparse
import hashlib
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from fractions import Fraction

# ---- the scheme (scoring.md; templates/scheme-2013.xml says the same) ----

CASE = 250                      # 条 per 箱
QUANT_TOTAL = Fraction(60)
CAP = Fraction(1)
LOW_GRADE = {4, 5}
LOW_TAR_MAX = Fraction(8)
BASE = Fraction(40)
INDICATORS = ["total_volume", "low_grade_volume", "low_tar_volume",
              "key_brand_volume", "key_brand_shelf_rate", "revenue_per_case"]
POINTS = dict(zip(INDICATORS, map(Fraction, [20, 5, 5, 5, 5, 20])))
MOVES = {"key_brand_volume": "total_volume",
         "key_brand_shelf_rate": "revenue_per_case"}

# The item catalogue of scoring.md, row by row: code, kind, points.  A
# panel item gives the sign its record's points must have; "once" is
# "unit, once per customer".
CATALOGUE = """
1.1.1  unit  -0.5
1.1.2  unit  -0.5
1.2.1  unit  -0.5
1.2.2  unit  -0.5
1.3.1  unit  -0.5
1.3.2  unit  -0.5
1.3.3  unit  -0.5
1.3.4  unit  -1
1.3.5  rate  -0.1
1.3.6  unit  -2
1.3.7  unit  -0.5
1.3.8  unit  -0.5
1.3.9  unit  -0.5
1.4.1  unit  -0.5
1.4.2  unit  -0.5
1.5.1  unit  -0.5
1.5.2  unit  -0.5
2.1    unit  -0.5
2.2    unit  -0.5
2.3    unit  -1
3.1    unit  -0.5
3.2    unit  -1
3.3    rate  -0.1
4.1    unit  -0.5
5.1    unit  -0.5
6.1    unit  -1
6.2    unit  -0.5
7.1    unit  -1
7.2    unit  -1
8.1    unit  -0.5
8.2    unit  -0.5
8.3    unit  -1
8.4    unit  -0.5
8.5    unit  -0.5
8.6    unit  -1
9.1    unit  -3
10.1   panel <0
10.2   panel >0
10.3   once  2
10.4   panel >0
"""
ITEMS = {}                      # code -> (kind, Fraction points or panel sign)
for _code, _kind, _pts in (ln.split() for ln in CATALOGUE.strip().splitlines()):
    ITEMS[_code] = (_kind, (-1 if _pts == "<0" else 1) if _kind == "panel" else Fraction(_pts))

KINDS = ["roster", "brands", "targets", "orders", "assessments"]
ID_RE = re.compile(r"^[0-9A-Za-z_.-]{1,32}$")
DEC_RE = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")


class Reject(Exception):
    """A file that breaks a rule of exports.md / scoring.md."""


def dec(s, what):
    if s is None or not DEC_RE.match(s):
        raise Reject("bad decimal %s=%r" % (what, s))
    return Fraction(s)


def ident(s, what):
    if s is None or not ID_RE.match(s):
        raise Reject("bad identifier %s=%r" % (what, s))
    return s


def round2(x):
    """Half away from zero, to hundredths; returns a Fraction."""
    n = abs(x) * 100
    r = math.floor(n + Fraction(1, 2))
    return Fraction(r if x >= 0 else -r, 100)


def fmt2(x):
    """Exactly 2 decimals, as interface.md prints scores and sums."""
    c = round2(x) * 100
    assert c.denominator == 1
    c = int(c)
    return "%s%d.%02d" % ("-" if c < 0 else "", abs(c) // 100, abs(c) % 100)


# ---- reading one file ----------------------------------------------------

DECL_RE = re.compile(rb"^<\?xml[^>]*\?>")
ENC_RE = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""")


def parse_file(path):
    """Decode by the declared encoding (pyexpat cannot do GBK), parse."""
    raw = open(path, "rb").read()
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    enc = "utf-8"
    m = DECL_RE.match(body)
    if m:
        e = ENC_RE.search(m.group(0))
        if e:
            enc = e.group(1).decode("ascii").lower()
        body = body[m.end():]
    if enc not in ("utf-8", "utf8", "gbk", "gb18030", "gb2312"):
        raise Reject("unsupported encoding " + enc)
    try:
        text = body.decode(enc)
    except UnicodeDecodeError as ex:
        raise Reject("not valid %s: %s" % (enc, ex))
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise Reject("DOCTYPE or entity declaration")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as ex:
        raise Reject("not well-formed: %s" % ex)
    if root.tag != "export" or root.get("kind") not in KINDS:
        raise Reject("root is not <export kind=…> of a known kind")
    period = root.get("period") or ""
    if not re.match(r"^\d{4}-\d\d(-\d\d)?$", period):
        raise Reject("bad period %r" % period)
    if root.get("kind") in ("roster", "brands", "targets") and len(period) != 7:
        raise Reject("period of %s must be a month" % root.get("kind"))
    try:
        gen = datetime.fromisoformat(root.get("generated") or "")
    except ValueError:
        raise Reject("bad generated %r" % root.get("generated"))
    if gen.tzinfo is None:
        raise Reject("generated without offset")
    return dict(path=path, sha=hashlib.sha256(raw).hexdigest(), root=root,
                kind=root.get("kind"), unit=root.get("unit"), period=period,
                gen=gen)


# ---- the store: what `kaohe run` over the folder keeps -------------------

class Store:
    """Accepted files by kind and period, assessment records and voids by
    id; a rejected file leaves it as it was."""

    def __init__(self):
        self.unit = None
        self.shas = set()
        self.files = {}         # (kind, period) -> [file], accepted
        self.records = {}       # id -> attribute dict
        self.voids = {}         # id -> attribute dict
        self.voided = set()     # record ids
        self.rejected = []      # (path, reason)

    def latest(self, kind, period):
        fs = self.files.get((kind, period), [])
        return max(fs, key=lambda f: f["gen"]) if fs else None

    def roster(self, month):
        """The month's roster; failing that, the latest earlier one."""
        f = self.latest("roster", month)
        if f is None:
            earlier = sorted(p for k, p in self.files if k == "roster" and p < month)
            f = self.latest("roster", earlier[-1]) if earlier else None
        return f

    def customers(self, month):
        """Customer ids of the month's roster (cached per roster file)."""
        f = self.roster(month)
        if f is None:
            return set()
        if "customers" not in f:
            f["customers"] = {c.get("id") for c in f["root"].iter("customer")}
        return f["customers"]

    def import_all(self, paths, runs=1):
        """`runs` runs over the same folder: each retries what was rejected."""
        parsed = []
        for p in paths:
            try:
                parsed.append(parse_file(p))
            except Reject as ex:
                self.rejected.append((p, str(ex)))
        # Dependency order, then period (a month's file after its days, so
        # that a newer month file supersedes older day files rather than
        # making them stale), then generated.
        parsed.sort(key=lambda f: (KINDS.index(f["kind"]), f["period"].ljust(10, "~"),
                                   f["gen"], f["path"]))
        for _ in range(runs):
            self.rejected = [r for r in self.rejected if r[0] not in
                             {f["path"] for f in parsed}]
            for f in parsed:
                if f["sha"] in self.shas:
                    continue                    # seen, or byte-identical: no-op
                try:
                    self.accept(f)
                    self.shas.add(f["sha"])
                except Reject as ex:
                    self.rejected.append((f["path"], str(ex)))

    def accept(self, f):
        if self.unit is not None and f["unit"] != self.unit:
            raise Reject("unit %r is not this database's %r" % (f["unit"], self.unit))
        kind, period = f["kind"], f["period"]
        if kind == "assessments":
            self.check_assessments(f)
        else:
            for g in self.files.get((kind, period), []):
                if g["gen"] == f["gen"]:
                    raise Reject("same kind, period and generated as " + g["path"])
            getattr(self, "check_" + kind)(f)
            self.files.setdefault((kind, period), []).append(f)
        if self.unit is None:
            self.unit = f["unit"]

    def check_roster(self, f):
        mgrs = {ident(m.get("id"), "manager") for m in f["root"].iter("manager")}
        for c in f["root"].iter("customer"):
            ident(c.get("id"), "customer")
            if c.get("manager") not in mgrs:
                raise Reject("customer %s: manager not in roster" % c.get("id"))

    def check_brands(self, f):
        for b in f["root"].iter("brand"):
            ident(b.get("code"), "brand")
            if b.get("class") not in list("12345"):
                raise Reject("brand %s: bad class" % b.get("code"))
            dec(b.get("tar"), "tar")

    def check_targets(self, f):
        per = {}
        for t in f["root"].iter("target"):
            ind = t.get("indicator")
            if ind not in INDICATORS:
                raise Reject("unknown indicator %r" % ind)
            pts = t.get("points")
            per.setdefault(t.get("manager"), {})[ind] = (
                dec(t.get("value"), "value"),
                None if pts is None else dec(pts, "points"))
        for mgr, ts in per.items():
            if any(p is not None for _, p in ts.values()):
                if sum(effective_points(ts).values()) != QUANT_TOTAL:
                    raise Reject("manager %s: points do not add up to 60" % mgr)

    def check_orders(self, f):
        month = f["period"][:7]
        brands = self.latest("brands", month)
        codes = {b.get("code") for b in brands["root"].iter("brand")} if brands else set()
        if len(f["period"]) == 10:
            mf = self.latest("orders", month)
            if mf is not None and f["gen"] <= mf["gen"]:
                raise Reject("stale: older than the month file " + mf["path"])
        seen = set()
        for o in f["root"].iter("order"):
            if ident(o.get("id"), "order") in seen:
                raise Reject("order id %s repeated" % o.get("id"))
            seen.add(o.get("id"))
            if not (o.get("date") or "").startswith(f["period"]):
                raise Reject("order %s: date outside the period" % o.get("id"))
            for ln in o.iter("line"):
                if ln.get("brand") not in codes:
                    raise Reject("order %s: brand %s not in the month's brands"
                                 % (o.get("id"), ln.get("brand")))
                if not re.match(r"^[1-9][0-9]*$", ln.get("qty") or ""):
                    raise Reject("order %s: bad qty" % o.get("id"))
                dec(ln.get("amount"), "amount")

    def check_assessments(self, f):
        """All-or-nothing: check the whole file against a copy, then keep it."""
        records, voids = dict(self.records), dict(self.voids)
        for el in f["root"]:
            a = dict(el.attrib)
            if el.tag == "record":
                self.check_record(a)
            elif el.tag == "void":
                ident(a.get("id"), "void")
                if a.get("record") not in records:
                    raise Reject("void %s of unknown record %s" % (a.get("id"), a.get("record")))
            else:
                continue
            known = records if el.tag == "record" else voids
            if known.get(a["id"], a) != a:
                raise Reject("%s %s: conflicts with the stored one" % (el.tag, a["id"]))
            known[a["id"]] = a
        self.records, self.voids = records, voids
        self.voided = {v["record"] for v in voids.values()}

    def check_record(self, a):
        rid = ident(a.get("id"), "record")
        if a.get("item") not in ITEMS:
            raise Reject("record %s: unknown item %r" % (rid, a.get("item")))
        kind, pts = ITEMS[a["item"]]
        if not re.match(r"^\d{4}-\d\d-\d\d$", a.get("date") or ""):
            raise Reject("record %s: bad date" % rid)
        if not re.match(r"^[1-9][0-9]*$", a.get("count", "1")):
            raise Reject("record %s: bad count" % rid)
        if "customer" in a:
            if a.get("count", "1") != "1":
                raise Reject("record %s: a record with customer has count 1" % rid)
            if a["customer"] not in self.customers(a["date"][:7]):
                raise Reject("record %s: customer not in the roster" % rid)
        if kind == "panel":
            p = dec(a.get("points"), "points")
            if not a.get("decision") or p * pts <= 0:
                raise Reject("record %s: panel points need a decision and the item's sign" % rid)
        elif kind == "rate":
            dec(a.get("value"), "value"), dec(a.get("required"), "required")
        elif kind == "once" and not a.get("customer"):
            raise Reject("record %s: item %s must name a customer" % (rid, a["item"]))


# ---- scoring one month ---------------------------------------------------

def effective_points(ts):
    """Given points first, then the moves for missing or zero key targets."""
    pts = {i: (ts[i][1] if i in ts and ts[i][1] is not None else POINTS[i])
           for i in INDICATORS}
    for src, dst in MOVES.items():
        if src not in ts or ts[src][0] == 0:
            pts[dst] += pts[src]
            pts[src] = Fraction(0)
    return pts


def month_orders(store, month):
    """In-force orders files of a month: the latest month file, and the
    latest file of each day that is newer than that month file."""
    mf = store.latest("orders", month)
    days = sorted(p for k, p in store.files if k == "orders" and p[:7] == month and len(p) == 10)
    out = [mf] if mf else []
    for d in days:
        df = store.latest("orders", d)
        if mf is None or df["gen"] > mf["gen"]:
            out.append(df)
    return out


def actuals(mgr_id, customers, key_brands, brands, lines, shelf):
    """The six actual values of scoring.md; shelf = {(customer, brand)}
    ordered in the month, whichever manager the order is credited to."""
    mine = [ln for ln in lines if ln["manager"] == mgr_id]
    qty = lambda pred: sum(ln["qty"] for ln in mine if pred(ln["brand"]))
    total = qty(lambda b: True)
    amount = sum(ln["amount"] for ln in mine)
    act = {
        "total_volume": Fraction(total, CASE),
        "low_grade_volume": Fraction(qty(lambda b: brands[b][0] in LOW_GRADE), CASE),
        "low_tar_volume": Fraction(qty(lambda b: brands[b][1] <= LOW_TAR_MAX), CASE),
        "key_brand_volume": Fraction(qty(lambda b: b in key_brands), CASE),
        "revenue_per_case": amount * CASE / total if total else Fraction(0),
        "key_brand_shelf_rate": Fraction(0),
    }
    opened = [c.get("id") for c in customers
              if c.get("manager") == mgr_id and c.get("status") == "open"]
    if opened and key_brands:
        rates = [Fraction(sum(1 for c in opened if (c, b) in shelf), len(opened))
                 for b in key_brands]
        act["key_brand_shelf_rate"] = 100 * sum(rates) / len(rates)
    return act


def qualitative(store, month, mgr_id):
    """-> (deductions, bonuses, qualitative) of scoring.md: voids removed;
    unit = points × count; rate = the latest record (date, then id byte by
    byte), whole points short; once per customer; panel = own points."""
    recs = [r for rid, r in store.records.items()
            if rid not in store.voided and r["manager"] == mgr_id
            and r["date"][:7] == month]
    ded, bon = Fraction(0), Fraction(0)
    latest_rate, praised = {}, set()
    for r in recs:
        kind, pts = ITEMS[r["item"]]
        if kind == "rate":
            cur = latest_rate.get(r["item"])
            if cur is None or (r["date"], r["id"].encode()) > (cur["date"], cur["id"].encode()):
                latest_rate[r["item"]] = r
            continue
        if kind == "once":
            praised.add(r["customer"])
            continue
        v = Fraction(r["points"]) if kind == "panel" else pts * int(r.get("count", "1"))
        if v < 0:
            ded -= v
        else:
            bon += v
    for item, r in latest_rate.items():
        short = math.floor(Fraction(r["required"]) - Fraction(r["value"]))
        if short > 0:
            ded += short * -ITEMS[item][1]
    bon += len(praised) * ITEMS["10.3"][1]
    return ded, bon, max(Fraction(0), BASE - ded + bon)


def score_month(store, month):
    """-> list of dicts (id, name, group, cols or None, total, rank)."""
    roster = store.roster(month)
    if roster is None:
        sys.exit("oracle: no roster for " + month)
    managers = list(roster["root"].iter("manager"))
    customers = list(roster["root"].iter("customer"))
    bf = store.latest("brands", month)
    brands = {b.get("code"): (int(b.get("class")), Fraction(b.get("tar")))
              for b in (bf["root"].iter("brand") if bf else [])}
    tf = store.latest("targets", month)
    key_brands, targets = [], {}
    if tf is not None:
        key_brands = sorted({k.get("code") for k in tf["root"].iter("key-brand")})
        for t in tf["root"].iter("target"):
            pts = t.get("points")
            targets.setdefault(t.get("manager"), {})[t.get("indicator")] = (
                Fraction(t.get("value")), None if pts is None else Fraction(pts))
    lines = [dict(manager=o.get("manager"), customer=o.get("customer"),
                  brand=ln.get("brand"), qty=int(ln.get("qty")),
                  amount=Fraction(ln.get("amount")))
             for f in month_orders(store, month)
             for o in f["root"].iter("order") for ln in o.iter("line")]
    shelf = {(ln["customer"], ln["brand"]) for ln in lines}
    results = []
    for m in managers:
        mid = m.get("id")
        res = dict(id=mid, name=m.get("name"), group=m.get("group"),
                   cols=None, total=None, rank=None)
        results.append(res)
        ts = targets.get(mid, {})
        if any(i not in ts or ts[i][0] == 0 for i in INDICATORS if i not in MOVES):
            continue                            # incomplete
        pts = effective_points(ts)
        act = actuals(mid, customers, key_brands, brands, lines, shelf)
        scores = {}
        for i in INDICATORS:
            if pts[i] == 0:
                scores[i] = Fraction(0)
            else:
                scores[i] = round2(pts[i] * min(act[i] / ts[i][0], CAP))
        quant = sum(scores.values())
        ded, bon, qual = qualitative(store, month, mid)
        qual = round2(qual)
        res["cols"] = [scores[i] for i in INDICATORS] + [quant, ded, bon, qual, quant + qual]
        res["total"] = quant + qual
    rank(results)
    return results


def rank(results):
    """1, 2, 2, 4 by total, highest first; None totals are not ranked."""
    totals = [r["total"] for r in results if r["total"] is not None]
    for r in results:
        if r["total"] is not None:
            r["rank"] = 1 + sum(1 for t in totals if t > r["total"])


def ordered(results):
    ranked = sorted((r for r in results if r["rank"] is not None),
                    key=lambda r: (r["rank"], r["id"].encode()))
    rest = sorted((r for r in results if r["rank"] is None), key=lambda r: r["id"].encode())
    return ranked + rest


# ---- output (interface.md) -----------------------------------------------

def csv_field(s):
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_csv(header, rows):
    out = sys.stdout.buffer
    out.write(b"\xef\xbb\xbf")
    for row in [header] + rows:
        out.write((",".join(csv_field(x) for x in row) + "\r\n").encode("utf-8"))


SCORES_HEADER = ("month,manager_id,manager_name,group," + ",".join(INDICATORS) +
                 ",quantitative,deductions,bonuses,qualitative,total,rank,status").split(",")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--month")
    ap.add_argument("--status", default="final", choices=["final", "provisional"])
    ap.add_argument("--annual")
    ap.add_argument("--months", default="")
    ap.add_argument("--runs", type=int, default=1, help="runs over the folder (retries)")
    args = ap.parse_args()
    paths = sorted(os.path.join(d, n) for d, _, ns in os.walk(args.input)
                   for n in ns if n.lower().endswith(".xml"))
    store = Store()
    store.import_all(paths, args.runs)
    for p, why in store.rejected:
        print("oracle: rejected %s: %s" % (p, why), file=sys.stderr)
    if args.month:
        rows = []
        for r in ordered(score_month(store, args.month)):
            head = [args.month, r["id"], r["name"], r["group"]]
            if r["cols"] is None:
                rows.append(head + [""] * 12 + ["incomplete"])
            else:
                rows.append(head + [fmt2(c) for c in r["cols"]] + [str(r["rank"]), args.status])
        write_csv(SCORES_HEADER, rows)
    elif args.annual:
        year, people = args.annual, {}
        for month in sorted(m for m in args.months.split(",") if m):
            for r in score_month(store, month):
                p = people.setdefault(r["id"], dict(id=r["id"], total=Fraction(0), months=0))
                p.update(name=r["name"], group=r["group"])   # latest roster wins
                if r["total"] is not None:
                    p["total"] += r["total"]
                    p["months"] += 1
        res = list(people.values())
        rank(res)
        write_csv("year,manager_id,manager_name,group,months,total,rank".split(","),
                  [[year, p["id"], p["name"], p["group"], str(p["months"]),
                    fmt2(p["total"]), str(p["rank"])] for p in ordered(res)])
    else:
        ap.error("give --month or --annual")
    return 0


if __name__ == "__main__":
    sys.exit(main())
