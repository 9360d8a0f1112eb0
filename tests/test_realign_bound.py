"""Realigning a row costs at most a bounded number of arrangements.

A row whose figures the header does not place has its figures tried over the header's columns in
every order-keeping arrangement: choose(columns, figures) of them, 155,117,520 for 15 figures
under a 30-column header (the old code listed them all first: minutes, and gigabytes). Past a cap
the row is reported (`table.unalignedRow`, saying there are too many arrangements to try) instead
of placed; below it nothing changes.
"""

from __future__ import annotations

import json
import re
from math import comb

from kcxbrl.cli import main
from kcxbrl.resources import samples_dir

SAMPLE = "kc-2025-q2-press-release.txt"
QUARTERS = ["Mar 31", "Jun 30", "Sep 30", "Dec 31"]


def crafted_table(columns: int, figures: int, label: str) -> list[str]:
    """A non-GAAP reconciliation whose header has `columns` quarters in RMB, and one row of
    `figures` figures."""
    dates = [f"{QUARTERS[i % 4]}, {2000 + i // 4}" for i in range(columns)]
    return ["KINGSOFT CLOUD HOLDINGS LIMITED", "RECONCILIATION OF GAAP AND NON-GAAP RESULTS",
            "(All amounts in thousands, except for percentage)", "",
            "\tThree Months Ended" + "\t" * (columns - 1),
            "\t" + "\t".join(dates),
            "\t" + "\t".join(["RMB"] * columns),
            label + "\t" + "\t".join(f"{1000 + 37 * i:,}" for i in range(figures)),
            ""]


def test_a_row_with_too_many_arrangements_is_reported_not_tried(tmp_path, capsys):
    lines = (samples_dir() / SAMPLE).read_text(encoding="utf-8").split("\n")
    at = lines.index("KINGSOFT CLOUD HOLDINGS LIMITED", 100)  # before a later statement
    shapes = [(30, 15), (12, 6), (9, 4)]  # 155,117,520, 924 and 126 arrangements
    inserted = []
    for columns, figures in shapes:
        table = crafted_table(columns, figures, "Gross profit")
        lines[at:at] = table
        inserted.append(at + len(table) - 1)  # 1-based line of the row
        at += len(table)
    rows = dict(zip(inserted, shapes))
    path = tmp_path / "wide.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"

    code = main(["build", str(path), "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert err == "" and code == 0, (stdout, err)  # findings are reported, not fatal
    assert "0 errors, 0 warnings" in stdout

    findings = json.loads((out / "wide" / "findings.json").read_text(encoding="utf-8"))
    by_line = {f["ref"]["line"]: f for f in findings if f["code"] == "table.unalignedRow"}
    for line, (columns, figures) in rows.items():
        finding = by_line[line]
        assert f"has {figures} figures but the header has {columns} columns" in finding["message"]
        arrangements = comb(columns, figures)
        if arrangements > 256:
            assert f"{arrangements:,} arrangements" in finding["message"]
            assert re.search(r"more than the \d+ tried at most", finding["message"])
        else:  # below the cap the row is tried as before
            assert "no arrangement is backed by the document's other figures" in finding["message"]
    facts = json.loads((out / "wide" / "wide.json").read_text(encoding="utf-8"))["facts"]
    tagged_lines = {int(m[1]) for fid in facts if (m := re.fullmatch(r"[fp]-(\d+)-\d+", fid))}
    assert len(tagged_lines) > 100 and not tagged_lines & set(rows)  # none of the rows is tagged
