#!/usr/bin/env python3
"""mdcheck.py — compare a scores.csv with gen's table in sample-expected.md.

    mdcheck.py sample-expected.md 2013-05 scores.csv

The sample generator (tests/tools/gen) computes the expected scores of its
sample with its own integer arithmetic and writes them as a Markdown table
under "### 2013-05: expected scores".  This prints every cell where the CSV
disagrees and exits 1 if any does (or if the table is missing).
"""

import csv
import sys

COLS = ["total_volume", "low_grade_volume", "low_tar_volume", "key_brand_volume",
        "key_brand_shelf_rate", "revenue_per_case", "quantitative", "deductions",
        "bonuses", "qualitative", "total", "rank"]


def table(md_path, month):
    """manager id -> the 12 cells of the month's expected-scores table."""
    rows, inside = {}, False
    for line in open(md_path, encoding="utf-8"):
        if line.startswith("### "):
            inside = line.strip() == "### %s: expected scores (scheme-2013 defaults)" % month
        elif inside and line.startswith("| KM"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0]] = cells[1:1 + len(COLS)]
    return rows


def main():
    md, month, csv_path = sys.argv[1:4]
    want = table(md, month)
    if not want:
        print("no expected-scores table for %s in %s" % (month, md))
        return 1
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        got = {r["manager_id"]: r for r in csv.DictReader(f)}
    bad = 0
    for mgr, cells in sorted(want.items()):
        if mgr not in got:
            print("%s: not in %s" % (mgr, csv_path))
            bad += 1
            continue
        for col, w in zip(COLS, cells):
            if got[mgr][col] != w:
                print("%s %s: table %s, csv %s" % (mgr, col, w, got[mgr][col]))
                bad += 1
    for mgr in sorted(set(got) - set(want)):
        print("%s: in %s but not in the table" % (mgr, csv_path))
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
