"""Bad inputs through the real CLI (`kcxbrl.cli.main`, in-process, real Arelle, no mocks).

An unusable input must end with exit code 3, exactly one `error: FILE[:LINE]: ...` line on
stderr, no traceback, and nothing written for it in the output folder (no NAME.xbri, no NAME/,
no `.kcxbrl-*` staging folder left behind). Text that looks like markup is not unusable: it is
built, and must come out escaped in a well-formed XHTML report.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from kcxbrl.cli import main
from kcxbrl.resources import samples_dir

XHTML = "http://www.w3.org/1999/xhtml"
ANNUAL = "kc-2025-annual-results.txt"
BALANCE_ROW = "Restricted cash\t\t81,337\t99,194\t14,185"
LABEL = '<b>x</b> & "q"'
TAG_LABEL = '<em onclick="go()">y</em> & \'q\''
INJECTED = 'Injected <script>alert(1)</script> then ]]> and &amp; and <!ENTITY x "y"> end.'

PROSE = """A note about the garden

Tomatoes like sun. They also like water, but not too much of it. Plant them in spring,
after the last frost, and stake them early.

The following table lists what was picked this week.

Vegetable\tWeight\tCount
Carrots\t12\t3
Potatoes\t40\t10

That is all for this season. Thank you for reading.
"""


def sample_lines() -> list[str]:
    return (samples_dir() / ANNUAL).read_text(encoding="utf-8").split("\n")


def run_build(capsys, out: Path, *inputs: Path) -> tuple[int, str, str]:
    code = main(["build", *map(str, inputs), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build_text(capsys, tmp_path: Path, name: str, lines: list[str]) -> tuple[int, str, str]:
    """Write `lines` as tmp_path/name and build it into tmp_path/out."""
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return run_build(capsys, tmp_path / "out", path)


def assert_nothing_written(out: Path, stem: str) -> None:
    names = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert f"{stem}.xbri" not in names
    assert stem not in names
    assert not [n for n in names if n.startswith(".kcxbrl-") or ".old-" in n], names


def assert_one_error_line(err: str, file: str, line: int | None = None) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    (message,) = lines
    assert message.startswith("error: "), message
    assert "Traceback" not in err and not re.search(r"\w(Error|Exception)\b", message), err
    where = f"{file}:{line}: " if line is not None else f"{file}: "
    assert message.startswith(f"error: {where}"), message
    return message


# ---------------------------------------------------------------- unusable inputs


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


LATIN1 = "Results\nRevenue rose.\n\nCaf\u00e9 and cr\u00e8me\nmore\n".encode("latin-1")
CR_ONLY = b"Results\rRevenue rose.\r\rCaf\xe9\r"

# (file name, bytes or None for a missing file, expected line or None, words in the message)
UNUSABLE = [
    ("missing.txt", None, None, "not found"),
    ("empty.txt", b"", None, "empty"),
    ("blank.txt", b"  \n\t\n \r\n\n   \t  \n", None, "no text"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 3, "binary"),
    ("latin1.txt", LATIN1, 4, "0xe9"),
    ("old-mac.txt", CR_ONLY, 4, "0xe9"),
    ("utf16.txt", "Results\nRevenue\n".encode("utf-16"), 1, "UTF-16"),
    ("page.txt", b"\n\n  <!DOCTYPE html><html><head><title>Results</title></head>"
                 b"<body><p>Revenue rose.</p></body></html>\n", 3, "markup"),
    ("data.txt", b'<?xml version="1.0" encoding="UTF-8"?>\n<results><revenue>1</revenue></results>\n', 1, "markup"),
    ("prose.txt", PROSE.encode(), None, "no financial statement found"),
]


@pytest.mark.parametrize("name,data,line,words", UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_unusable_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, name, data, line, words):
    path = tmp_path / name
    if data is not None:
        _write(path, data)
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, path)
    assert code == 3, (stdout, err)
    message = assert_one_error_line(err, name, line)
    assert words in message
    assert stdout == ""
    assert_nothing_written(out, Path(name).stem)


def test_control_character_is_reported_with_line_and_column(tmp_path, capsys):
    lines = sample_lines()
    at = lines.index("FINAL DIVIDEND")
    lines[at:at] = ["The bell\x07 rang.", ""]
    out = tmp_path / "out"
    code, _, err = build_text(capsys, tmp_path, "bell.txt", lines)
    assert code == 3
    message = assert_one_error_line(err, "bell.txt", at + 1)
    assert "U+0007" in message and "column 9" in message
    assert_nothing_written(out, "bell")


def test_page_breaks_are_whitespace(tmp_path, capsys):
    """Form feeds (page breaks from PDF conversion) are not errors and never reach the XHTML."""
    lines = sample_lines()
    at = lines.index("FINAL DIVIDEND")
    lines[at] = "\f" + lines[at]
    lines[at + 2] = lines[at + 2].replace(" the ", " the\f", 1).replace(" a ", " a\v", 1)
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "pages.txt", lines)
    assert code == 0, (stdout, err)  # packages written and valid (the sample's own findings are reported)
    raw = (out / "pages" / "reports" / "pages.xhtml").read_bytes()
    assert b"\x0c" not in raw and b"\x0b" not in raw
    texts = ["".join(e.itertext()).strip() for e in etree.fromstring(raw).iter(f"{{{XHTML}}}h2", f"{{{XHTML}}}p")]
    assert "FINAL DIVIDEND" in texts  # still a heading
    assert "The Board did not recommend the distribution of a final dividend for the year ended December 31, 2025." in texts


def test_good_and_bad_input_together(tmp_path, capsys):
    good = tmp_path / "good.txt"
    shutil.copyfile(samples_dir() / "kc-2023-h1-interim-results.txt", good)
    bad = _write(tmp_path / "bad.txt", LATIN1)
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, bad, good)
    assert code == 3, (stdout, err)
    assert_one_error_line(err, "bad.txt", 4)
    assert stdout.startswith("good: ")
    assert_nothing_written(out, "bad")
    assert sorted(p.name for p in out.iterdir()) == ["good", "good.xbri", "index.html"]
    folder = out / "good"
    for rel in ("reports/good.xhtml", "META-INF/reportPackage.json", "META-INF/taxonomyPackage.xml",
                "META-INF/catalog.xml", "good.json", "validation.json", "findings.json"):
        assert (folder / rel).is_file(), rel
    assert any((folder / "taxonomy").glob("*.xsd"))
    assert (out / "good.xbri").stat().st_size > 0


# ---------------------------------------------------------------- markup in the text


def test_markup_in_text_is_escaped(tmp_path, capsys):
    lines = sample_lines()
    row = lines.index(BALANCE_ROW)
    lines[row + 1:row + 1] = [f"{LABEL}\t\t1\t2\t3", f"{TAG_LABEL}\t\t4\t5\t6"]
    at = lines.index("FINAL DIVIDEND")
    lines[at:at] = [INJECTED, ""]
    out = tmp_path / "out"

    code, stdout, err = build_text(capsys, tmp_path, "inject.txt", lines)
    assert code == 0, (stdout, err)  # packages written and valid (the sample's own findings are reported)
    assert err == ""

    report = out / "inject" / "reports" / "inject.xhtml"
    raw = report.read_bytes()
    tree = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))  # well-formed XML
    assert tree.getroottree().docinfo.internalDTD is None
    assert not tree.xpath("//*[local-name()='script' or local-name()='em']")
    assert b"<script" not in raw and b"<!ENTITY" not in raw
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in raw

    ns = {"h": XHTML}
    # the paragraph keeps every character, as text
    paragraphs = [p for p in tree.iterfind(".//h:p", ns) if "alert(1)" in "".join(p.itertext())]
    assert len(paragraphs) == 1
    assert "".join(paragraphs[0].itertext()) == INJECTED
    assert len(paragraphs[0]) == 0  # no child elements

    labels = {"".join(td.itertext()): td for td in tree.iterfind(".//h:td", ns)}
    # `<b>x</b>` is the converter's bold markup (kcxbrl.text): a bold run "x", the rest is text
    bold_label = labels['x & "q"']
    assert [(child.tag, child.text, dict(child.attrib)) for child in bold_label] == [(f"{{{XHTML}}}b", "x", {})]
    assert bold_label[0].tail == ' & "q"'
    # any other tag is not markup: it appears as text, escaped
    assert TAG_LABEL in labels
    assert len(labels[TAG_LABEL]) == 0
    assert b"&lt;em onclick=" in raw


# ---------------------------------------------------------------- damaged and hostile input


def sample(name: str) -> list[str]:
    return (samples_dir() / name).read_text(encoding="utf-8").split("\n")


def assert_only_published(out: Path, stem: str) -> None:
    """A finished build leaves exactly NAME.xbri, NAME/ and the review page (no staging folder,
    no leftovers)."""
    assert sorted(p.name for p in out.iterdir()) == sorted([stem, f"{stem}.xbri", "index.html"])


def oim_facts(out: Path, stem: str) -> dict:
    return json.loads((out / stem / f"{stem}.json").read_text(encoding="utf-8"))["facts"]


def findings(out: Path, stem: str) -> list[dict]:
    return json.loads((out / stem / "findings.json").read_text(encoding="utf-8"))


def fact_lines(out: Path, stem: str) -> set[int]:
    """Source lines of the facts in the report (fact ids are f-LINE-COLUMN / p-LINE-COLUMN)."""
    return {int(fid.split("-")[1]) for fid in oim_facts(out, stem) if re.match(r"[fp]-\d+-\d+$", fid)}


def cut_mid_row(lines: list[str], fraction: float = 0.4) -> tuple[list[str], int]:
    """The lines up to the first table row with figures at or after `fraction` of the file, that
    row cut in the middle (inside its figures); the 1-based line of the cut row."""
    k = int(len(lines) * fraction)
    while not re.search(r"\t\(?\d[\d,]{3,}", lines[k]):
        k += 1
    return lines[:k] + [lines[k][: len(lines[k]) // 2]], k + 1


def test_truncated_announcement_gives_a_valid_package_with_what_it_could_tag(tmp_path, capsys):
    lines, cut = cut_mid_row(sample(ANNUAL))
    assert "\t" in lines[-1] and not lines[-1].endswith("\t")  # cut inside a table row
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "cut.txt", lines)
    assert code == 0, (stdout, err)  # packages written and valid (the sample's own findings are reported)
    assert err == "" and "0 errors, 0 warnings" in stdout
    assert_only_published(out, "cut")
    assert (out / "cut" / "validation.json").is_file() and (out / "cut.xbri").stat().st_size > 0
    tagged = fact_lines(out, "cut")
    assert len(tagged) > 50 and max(tagged) < cut  # the first statements are tagged ...
    # ... the half row is not: it is reported, with its line
    assert cut not in tagged
    assert any(f["ref"]["line"] == cut and f["code"].startswith("table.") for f in findings(out, "cut"))


def test_truncated_press_release_with_only_its_balance_sheet_builds_for_the_period_its_words_name(tmp_path, capsys):
    # cut inside the balance sheet: the income statement never comes; the balance sheet's
    # instants and the text's "three months ended June 30, 2025" give the reporting period
    lines, cut = cut_mid_row(sample("kc-2025-q2-press-release.txt"))
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "cut-q2.txt", lines)
    assert code == 0 and err == "", (stdout, err)
    assert "0 errors, 0 warnings, 0 inconsistencies" in stdout
    oim = json.loads((out / "cut-q2" / "cut-q2.json").read_text(encoding="utf-8"))["facts"]
    assert oim["cover-DocumentPeriodEndDate"]["value"] == "2025-06-30"
    assert oim["cover-DocumentFiscalPeriodFocus"]["value"] == "Q2"
    assert max(fact_lines(out, "cut-q2")) < cut and cut not in fact_lines(out, "cut-q2")


CASH_FLOW = "UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF CASH FLOWS"


@pytest.mark.parametrize("caption", [None, "(All amounts in thousands)"], ids=["long-caption", "short-caption"])
def test_table_without_a_header_is_reported_not_tagged(tmp_path, capsys, caption):
    """The cash flow statement's three header rows are lost. Its rows have as many figures as the
    balance sheet above has columns; with a short caption in between, a table could be read as
    going on: the rows must get no periods at all (none invented, none borrowed), and each is
    reported."""
    lines = sample(ANNUAL)
    at = lines.index(CASH_FLOW)
    header = lines[at + 4:at + 7]
    assert [h.count("\t") for h in header] == [3, 3, 3] and "For the year ended" in header[0]
    if caption:
        lines[at + 2] = caption
    del lines[at + 4:at + 7]
    rows = list(range(at + 5, at + 12))  # 1-based lines of the seven cash flow rows, now header-less
    assert all(re.search(r"\t(<u>)?\(?\d", lines[r - 1]) for r in rows) and lines[rows[-1]] == ""
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "headless.txt", lines)
    assert code == 0, (stdout, err)
    assert err == "" and "0 errors, 0 warnings" in stdout
    assert_only_published(out, "headless")
    assert not fact_lines(out, "headless") & set(rows)
    reported = {f["ref"]["line"] for f in findings(out, "headless") if f["code"] == "table.unalignedRow"}
    assert set(rows) <= reported
    # the balance sheet above keeps its own facts
    assert fact_lines(out, "headless") & set(range(at - 40, at))


def test_income_statement_without_a_header_leaves_no_sum_across_tables(tmp_path, capsys):
    """The press release's income statement loses its three header rows (lines 176-178): its rows
    are reported, not tagged, and the totals that other tables and the prose still tag (gross
    profit in the reconciliation, revenue in the text) are not summed against each other: the
    package still validates with no inconsistency, and the build reports the source's state (1)."""
    lines = sample("kc-2025-q2-press-release.txt")
    assert lines[175].startswith("\tThree Months Ended") and lines[177].startswith("\tRMB")
    del lines[175:178]
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "no-is-header.txt", lines)
    assert code == 0, (stdout, err)
    assert err == "" and "0 errors, 0 warnings, 0 inconsistencies, 0 failed assertions" in stdout
    assert {f["ref"]["line"] for f in findings(out, "no-is-header") if f["code"] == "table.unalignedRow"} >= {179, 180, 181}


def test_prose_only_document_is_one_clear_error(tmp_path, capsys):
    """The announcement's text without any table: nothing to tag, nothing written."""
    lines = [line for line in sample(ANNUAL) if "\t" not in line]
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "words.txt", lines)
    assert code == 3, (stdout, err)
    assert "no financial statement" in assert_one_error_line(err, "words.txt")
    assert_nothing_written(out, "words")


def test_tabs_and_digits_only_is_one_clear_error(tmp_path, capsys):
    text = "\n".join("\t".join(str((row * 7919 + col * 104729) % 100000) for col in range(6)) for row in range(300))
    path = tmp_path / "grid.txt"
    path.write_text(text + "\n\t\t\t\n2024\t2025\t2025\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, path)
    assert code == 3, (stdout, err)
    assert_one_error_line(err, "grid.txt")
    assert_nothing_written(out, "grid")


def test_oversized_file_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # 50 MB, sparse: nothing is written to disk
        f.truncate(50 * 1024 * 1024)

    def no_reading(*args, **kwargs):
        raise AssertionError("an oversized file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "read_text", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, path)
    monkeypatch.undo()
    assert code == 3, (stdout, err)
    message = assert_one_error_line(err, "huge.txt")
    assert str(50 * 1024 * 1024) in message
    assert_nothing_written(out, "huge")


def test_nul_byte_in_an_announcement_names_its_line(tmp_path, capsys):
    lines = sample(ANNUAL)
    at = lines.index(BALANCE_ROW)
    lines[at] = lines[at].replace("99,194", "99,\x00194")
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "nul.txt", lines)
    assert code == 3, (stdout, err)
    assert "NUL" in assert_one_error_line(err, "nul.txt", at + 1)
    assert_nothing_written(out, "nul")


def test_very_long_lines(tmp_path, capsys):
    """A 100,000-character paragraph and a 3,000-cell table row: built, valid, the row reported."""
    lines = sample(ANNUAL)
    at = lines.index("FINAL DIVIDEND")
    words = "Lorem ipsum 1,234.5 dolor sit amet, " * 3000
    row = "Mystery row\t" + "\t".join(f"{k:,}" for k in range(3000))
    lines[at:at] = [words, "", row, ""]
    out = tmp_path / "out"
    code, stdout, err = build_text(capsys, tmp_path, "long.txt", lines)
    assert code == 0, (stdout, err)
    assert err == "" and "0 errors, 0 warnings" in stdout
    assert_only_published(out, "long")
    assert at + 3 not in fact_lines(out, "long")
    raw = (out / "long" / "reports" / "long.xhtml").read_bytes()
    etree.fromstring(raw, etree.XMLParser(huge_tree=True))  # well-formed
    assert raw.count(b"Lorem ipsum 1,234.5 dolor") == 3000


# Text that tries to become markup in the XHTML: a DTD with entities, entity references, CDATA
# sections, processing instructions, ix: elements and scripts, in row labels, value cells and prose.
HOSTILE_LABELS = [
    '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]> &xxe; row',
    '<![CDATA[<ix:nonFraction name="kcx:Revenues" contextRef="c" unitRef="CNY" decimals="0">9</ix:nonFraction>]]>',
    '<ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c">Evil Corp</ix:nonNumeric>',
    '<script type="text/javascript">document.write(1)</script>',
    '<?xml-stylesheet href="evil.xsl"?> &#x3C;b&#x3E; &lt;i&gt; &amp;',
]
HOSTILE_CELLS = [
    '<ix:nonFraction name="kcx:Revenues">1,234</ix:nonFraction>',
    '<![CDATA[5]]>',
    '&#49;&#50;',
    '**<script>1</script>**',
]
HOSTILE_PROSE = (
    'Revenue <ix:nonFraction name="kcx:RevenueFromContractWithCustomerExcludingAssessedTax" contextRef="x" '
    'unitRef="CNY" decimals="-5" scale="6">9,999.9</ix:nonFraction> million <![CDATA[ ]]> <!DOCTYPE x> '
    '<!ENTITY e "f"> &e; <script>alert(1)</script> <ix:header/> ]]> end.'
)
GENERATED_IX = re.compile(r"^(f|p)-\d+-\d+(-\d+)?$|^t-\d+$|^cover-\w+$")  # -2: the figure's second concept


def test_injected_markup_stays_text(tmp_path, capsys):
    lines = sample(ANNUAL)
    row = lines.index(BALANCE_ROW)
    injected_rows = [f"{label}\t\t1\t2\t3" for label in HOSTILE_LABELS]
    injected_rows += [f"Injected cell {k}\t\t{cell}\t{cell}\t{cell}" for k, cell in enumerate(HOSTILE_CELLS)]
    lines[row + 1:row + 1] = injected_rows
    at = lines.index("FINAL DIVIDEND")
    lines[at:at] = [HOSTILE_PROSE, "", HOSTILE_LABELS[0], "", HOSTILE_LABELS[1], ""]
    out = tmp_path / "out"

    code, stdout, err = build_text(capsys, tmp_path, "hostile.txt", lines)
    assert code == 0, (stdout, err)  # packages written and valid (the sample's own findings are reported)
    assert err == "" and "0 errors, 0 warnings" in stdout
    assert_only_published(out, "hostile")

    raw = (out / "hostile" / "reports" / "hostile.xhtml").read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, strip_cdata=False, load_dtd=False)
    tree = etree.fromstring(raw, parser)
    assert tree.getroottree().docinfo.internalDTD is None
    for token in (b"<!DOCTYPE html [", b"<!ENTITY", b"<![CDATA[", b"<?xml-stylesheet", b"<script", b"&xxe;", b"&e;",
                  b"<ix:nonNumeric name=\"dei:EntityRegistrantName\" contextRef=\"c\"", b"<ix:header/>"):
        assert token not in raw, token
    assert not list(tree.iter(etree.Entity, etree.ProcessingInstruction))
    assert not tree.xpath("//*[local-name()='script' or local-name()='stylesheet']")
    ix_ns = "http://www.xbrl.org/2013/inlineXBRL"
    for element in tree.iter(f"{{{ix_ns}}}*"):
        if etree.QName(element).localname in ("nonFraction", "nonNumeric"):
            assert GENERATED_IX.match(element.get("id", "")), etree.tostring(element)[:200]
            assert element.get("contextRef") not in ("c", "x")
    assert len(tree.findall(f".//{{{ix_ns}}}header")) == 1
    assert not [e for e in tree.iter(f"{{{ix_ns}}}nonNumeric") if "Evil" in "".join(e.itertext())]

    # every hostile text is in the report, as text
    texts = {"".join(e.itertext()) for e in tree.iter(f"{{{XHTML}}}td", f"{{{XHTML}}}p", f"{{{XHTML}}}h2",
                                                      f"{{{XHTML}}}h3", f"{{{XHTML}}}h4")}
    for label in HOSTILE_LABELS:
        assert label in texts, label
    assert HOSTILE_PROSE in texts
    cells = [e for e in tree.iter(f"{{{XHTML}}}td") if "".join(e.itertext()) == HOSTILE_CELLS[0]]
    assert len(cells) == 3 and all(len(c) == 0 for c in cells)  # no child element, tagged nothing
    # the injected rows tagged nothing (their labels map to no concept, their cells are no figures)
    injected_lines = {lines.index(r) + 1 for r in injected_rows}
    assert len(injected_lines) == len(injected_rows)
    assert not fact_lines(out, "hostile") & injected_lines
    # and the injected prose figure was not tagged either: 9,999.9 is printed but names no concept
    assert not [f for f in oim_facts(out, "hostile").values() if f["value"] in ("9999900000", "9999.9")]


def test_file_name_with_a_line_break_is_reported_on_one_line(tmp_path, capsys):
    path = tmp_path / "two\nlines.txt"
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, path)
    assert code == 3, (stdout, err)
    assert "not found" in assert_one_error_line(err, "two\\nlines.txt")
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("profile", ['name = 3\n', 'name = "x"\n[[[broken\n'], ids=["wrong-fields", "not-toml"])
def test_invalid_profile_is_one_line(tmp_path, capsys, profile):
    path = tmp_path / "issuer.toml"
    path.write_text(profile, encoding="utf-8")
    good = tmp_path / "good.txt"
    shutil.copyfile(samples_dir() / "kc-2023-h1-interim-results.txt", good)
    out = tmp_path / "out"
    code = main(["build", str(good), "--out", str(out), "--profile", str(path)])
    captured = capsys.readouterr()
    assert code == 3, captured
    assert "invalid issuer profile" in assert_one_error_line(captured.err, "issuer.toml")
    assert captured.out == "" and not out.exists()


@pytest.mark.parametrize("shape", ["tabs", "spaces"])
def test_a_flood_of_cells_is_refused_at_its_line(tmp_path, capsys, shape):
    """Well under 20 MB but ~100x the table cells of an announcement: refused in one line at the
    line where the count passes the limit, before any cell is built (it used to take minutes and
    gigabytes: every cell is a model)."""
    from kcxbrl.read import MAX_TABLE_CELLS

    path = tmp_path / "flood.txt"
    if shape == "tabs":
        path.write_text("\n".join("\t".join(str(row * 6 + col) for col in range(6)) for row in range(30_000)),
                        encoding="utf-8")
        line = MAX_TABLE_CELLS // 6 + 1
    else:
        path.write_text("Results\n\nRevenue " + " ".join(["1,234"] * (2 * MAX_TABLE_CELLS)) + "\n", encoding="utf-8")
        line = 3
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, path)
    assert code == 3, (stdout, err)
    assert "table cells" in assert_one_error_line(err, "flood.txt", line)
    assert_nothing_written(out, "flood")


@pytest.mark.parametrize("shape", ["fragments", "blank-run-in-table"])
def test_reader_time_is_linear_on_adversarial_shapes(shape):
    """Shapes that were quadratic in the reader (80 s and 18 s): a paragraph continued 20,000
    times, 30,000 blank lines inside a table. Each now takes well under a second; the bound is
    loose on purpose."""
    import time

    from kcxbrl.read import parse_lines

    lines = {
        "fragments": ["We grew in", ""] + ["and more in", ""] * 20_000 + ["the end."],
        "blank-run-in-table": ["Revenue\t1\t2"] + [""] * 30_000 + ["Cost\t3\t4"],
    }[shape]
    started = time.perf_counter()
    document = parse_lines("shape.txt", lines)
    assert time.perf_counter() - started < 8
    assert len(document.blocks) == 1


def test_output_folder_that_is_a_file_is_a_one_line_error(tmp_path, capsys):
    from kcxbrl.cli import main

    target = tmp_path / "out"
    target.write_text("not a folder", encoding="utf-8")
    assert main(["build", "--out", str(target)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "output folder is a file" in err
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_a_broken_taxonomy_source_is_an_internal_error_in_one_line(monkeypatch, capsys, tmp_path):
    import kcxbrl.cli as cli

    def broken():
        raise ValueError("undeclared concepts: Foo (mapping income)\nsecond line")

    monkeypatch.setattr(cli, "default_taxonomy", broken)
    assert cli.main(["build", "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "undeclared concepts: Foo" in err
    assert not (tmp_path / "o").exists()
