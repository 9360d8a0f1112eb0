"""What a reviewer sees: tagged figures marked with where they were read and what they were read
as; a table whose header does not stand over its figures as the tool read them shows both the
printed header and the tool's reading; out/index.html lists the reports; the summary line's
plural forms."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
from lxml import etree

from kcxbrl.cli import _plural, bundled_samples, main

XHTML = "{http://www.w3.org/1999/xhtml}"
IX = "{http://www.xbrl.org/2013/inlineXBRL}"
NS = {"h": XHTML[1:-1], "ix": IX[1:-1]}
CURRENCY = {"CNY": "RMB", "USD": "US$", "CNY_per_share": "RMB", "USD_per_share": "US$"}
MONTHS = {"Three months ended": 3, "Six months ended": 6, "Nine months ended": 9, "Year ended": 12}


def _page(built, sample: str) -> etree._Element:
    folder = built[sample].result.folder
    return etree.parse(str(folder / "reports" / f"{sample}.xhtml")).getroot()


def _reading_tables(root) -> dict[str, etree._Element]:
    return {t.get("id"): t for t in root.iter(f"{XHTML}table") if t.find("h:tr[@class='reading']", NS) is not None}


def test_reading_shown_only_where_the_tool_read_otherwise(built):
    # the press release's statement whose header lost the six months' RMB column (line 176) and
    # its reconciliation with the realigned row (line 222); the interim's gross margin (line 103)
    assert set(_reading_tables(_page(built, "kc-2025-q2-press-release"))) == {"L176", "L217"}
    assert set(_reading_tables(_page(built, "kc-2025-h1-interim-results"))) == {"L101"}
    assert _reading_tables(_page(built, "kc-2024-annual-results")) == {}


@pytest.mark.parametrize("sample", ["kc-2025-q2-press-release", "kc-2025-h1-interim-results"])
def test_the_reading_header_states_each_tagged_figures_period_and_currency(built, sample):
    checked = 0
    for table in _reading_tables(_page(built, sample)).values():
        rows = table.findall("h:tr", NS)
        at = next(k for k, r in enumerate(rows) if r.get("class") == "reading")
        # the printed header stays, as printed, above the reading
        assert all(r.get("class") in ("printed", "furniture") for r in rows[:at]) and at > 0
        header = [[t.strip() for t in cell.itertext() if t.strip()] for cell in rows[at]]  # lines split by <br/>
        for row in rows[at + 1:]:
            if row.get("class") in ("as-printed", "furniture"):
                continue
            for index, cell in enumerate(row):
                for fact in cell.iter(f"{IX}nonFraction"):
                    lines = header[index]
                    kind, end = lines[0], datetime.strptime(lines[1], "%b %d, %Y").date()
                    context = fact.get("contextRef").split("_")
                    if context[0].startswith("I"):
                        instant = date.fromisoformat(context[0][1:])
                        start = _start(end, MONTHS.get(kind))
                        assert instant in (end, start - timedelta(days=1)), (fact.get("id"), lines)
                    else:
                        start, stop = date.fromisoformat(context[0][1:]), date.fromisoformat(context[1])
                        assert (stop, start) == (end, _start(end, MONTHS[kind])), (fact.get("id"), lines)
                    currency = CURRENCY.get(fact.get("unitRef"))
                    if currency:
                        assert lines[2] == currency, (fact.get("id"), lines)
                    checked += 1
    assert checked >= 3  # the interim's table has three tagged figures, the press release's hundreds


def _start(end: date, months: int | None) -> date:
    if months is None:
        return end
    month = end.month - months + 1
    return date(end.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def test_lost_column_printed_and_read(built):
    table = _reading_tables(_page(built, "kc-2025-q2-press-release"))["L176"]
    printed = [" ".join("".join(c.itertext()) for c in r) for r in table.findall("h:tr[@class='printed']", NS)]
    assert any("Six Months Ended" in p for p in printed)
    reading = [" ".join(t.strip() for t in c.itertext()) for c in table.find("h:tr[@class='reading']", NS)][1:]
    assert reading[4:] == ["Six months ended Jun 30, 2024 RMB", "Six months ended Jun 30, 2025 RMB",
                           "Six months ended Jun 30, 2025 US$"]
    # Total operating expenses (line 191): 1,218,351 is the six months of 2025 in RMB
    fact = table.xpath(".//ix:nonFraction[.='1,218,351']", namespaces=NS)[0]
    assert (fact.get("contextRef"), fact.get("unitRef")) == ("D2025-01-01_2025-06-30", "CNY")


def test_every_tagged_figure_is_marked_with_its_source_line(built):
    for sample, b in built.items():
        sources = json.loads((b.result.folder / "sources.json").read_text(encoding="utf-8"))
        root = _page(built, sample)
        outer = [f for f in root.iter(f"{IX}nonFraction") if f.getparent().tag != f"{IX}nonFraction"]
        # a figure inside a text block has no span (it would be part of the block's value): the
        # style sheet marks it by its ix element
        in_blocks = [f for f in outer if any(a.tag == f"{IX}nonNumeric" for a in f.iterancestors())]
        assert all(f.getparent().get("class") != "tagged" for f in in_blocks)
        outer = [f for f in outer if f not in in_blocks]
        assert outer
        for fact in outer:
            mark = fact.getparent()
            assert (mark.tag, mark.get("class")) == (f"{XHTML}span", "tagged"), fact.get("id")
            assert mark.get("title").startswith(f"line {sources[fact.get('id')]['line']}: "), fact.get("id")
        # the marks can be switched off: a check box the style sheet reads
        assert root.find(".//h:input[@id='show-tags']", NS) is not None
        assert "#show-tags:not(:checked)" in root.find(".//h:style", NS).text


def test_page_furniture_is_styled_as_such(built):
    root = _page(built, "kc-2024-annual-results")
    furniture = root.findall(".//h:tr[@class='furniture']", NS)
    assert furniture and all(r.find("h:td", NS) is not None for r in furniture)


def test_review_page_lists_every_report(tmp_path, capsys):
    samples = [p for p in bundled_samples() if p.stem in ("kc-2025-q2-press-release", "kc-2025-h1-interim-results")]
    assert main(["build", *map(str, samples), "--out", str(tmp_path)]) == 0
    output = capsys.readouterr()
    assert "[1/2]" not in output.err  # progress only on a terminal
    summary = output.out.strip().splitlines()[-1]
    assert summary.startswith("2 documents, 2 packages written, ")
    assert summary.endswith("exit 0 (packages written and valid; findings are reported, not fatal)")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    for sample in samples:
        name = sample.stem
        for href in (f"{name}/reports/{name}.xhtml", f"{name}/viewer.html", f"{name}/{name}.json",
                     f"{name}/{name}-metadata.json", f"{name}/validation.json", f"{name}/findings.json"):
            assert f'href="{href}"' in page, href
            assert (tmp_path / href).is_file()
        facts = json.loads((tmp_path / name / "validation.json").read_text(encoding="utf-8"))["fact_count"]
        assert re.search(rf'href="#{name}">{name}</a></td><td class="n">{facts:,}</td>', page)
    # findings with file and line: the press release's realigned row
    assert "kc-2025-q2-press-release.txt:222" in page and "source.columnsRealigned" in page
    assert not re.search(r'(?:src|href)="https?:', page)


def test_plural_forms():
    assert _plural(1, "inconsistency", "inconsistencies") == "1 inconsistency"
    assert _plural(0, "inconsistency", "inconsistencies") == "0 inconsistencies"
    assert _plural(2, "inconsistency", "inconsistencies") == "2 inconsistencies"
    assert _plural(1, "document") == "1 document" and _plural(1_234, "fact") == "1,234 facts"


def test_one_document_summary_is_singular(tmp_path, capsys):
    sample = next(p for p in bundled_samples() if p.stem == "kc-2025-q2-press-release")
    assert main(["build", str(sample), "--out", str(tmp_path), "--no-viewer"]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings, 0 inconsistencies, 0 failed assertions, 3 findings" in out
    assert out.strip().splitlines()[-1].startswith("1 document, 1 package written, ")
    assert not (tmp_path / sample.stem / "viewer.html").exists()
    assert 'href="kc-2025-q2-press-release/viewer.html"' not in (tmp_path / "index.html").read_text(encoding="utf-8")
