"""Bad inputs through the real CLI (`kcxbrl.cli.main`, in-process, real Arelle, no mocks).

An unusable input must end with exit code 3, exactly one `error: FILE[:LINE]: ...` line on
stderr, no traceback, and nothing written for it in the output folder (no NAME.xbri, no NAME/,
no `.kcxbrl-*` staging folder left behind). Text that looks like markup is not unusable: it is
built, and must come out escaped in a well-formed XHTML report.
"""

from __future__ import annotations

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
    ("prose.txt", PROSE.encode(), None, "not a results announcement"),
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
    path = tmp_path / "bell.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_build(capsys, out, path)
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
    path = tmp_path / "pages.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run_build(capsys, out, path)
    assert code == 1, (stdout, err)  # 1: the sample's own prose/table disagreement, nothing else
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
    assert sorted(p.name for p in out.iterdir()) == ["good", "good.xbri"]
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
    path = tmp_path / "inject.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"

    code, stdout, err = run_build(capsys, out, path)
    assert code == 1, (stdout, err)  # 1: the sample's own prose/table disagreement, nothing else
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
