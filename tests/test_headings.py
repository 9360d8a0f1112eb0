"""Headings that are headings: a cover page's form fields, check boxes and the answers to its
questions are text; a Markdown link is its text."""

from __future__ import annotations

from kcxbrl.read import Heading, Paragraph, parse_lines, read_document
from kcxbrl.resources import samples_dir


def _blocks(text: str) -> list[tuple[str, str]]:
    document = parse_lines("t.txt", text.split("\n"))
    return [("heading" if isinstance(b, Heading) else "paragraph" if isinstance(b, Paragraph) else "table", b.text)
            for b in document.blocks if not hasattr(b, "rows")]


COVER = """FORM 6-K

Indicate by check mark whether the registrant files or will file annual reports under cover Form 20-F or Form 40-F.

Form 20-F

Form 40-F

Signature Page

Acme Widgets Limited

By: /s/ Jane Roe

Name: Jane Roe

Title: Chief Financial Officer

Financial Highlights
"""


def test_cover_lines_are_not_headings():
    blocks = _blocks(COVER)
    assert [text for kind, text in blocks if kind == "heading"] == [
        "FORM 6-K", "Signature Page", "Acme Widgets Limited", "Financial Highlights"]
    for line in ("Form 20-F", "Form 40-F", "By: /s/ Jane Roe", "Name: Jane Roe", "Title: Chief Financial Officer"):
        assert ("paragraph", line) in blocks


def test_check_boxes_and_answers_on_one_line_are_not_headings():
    blocks = _blocks("Is this annual? State whether it is Annual or Interim.\n\nAnnual ☒ Interim ☐\n\nOutlook\n")
    assert blocks == [("paragraph", "Is this annual? State whether it is Annual or Interim."),
                      ("paragraph", "Annual ☒ Interim ☐"), ("heading", "Outlook")]


def test_a_title_after_ordinary_text_is_still_a_heading():
    # its words are all in the paragraph above, but that paragraph asks nothing
    blocks = _blocks("Our business outlook is set out below.\n\nBusiness Outlook\n")
    assert blocks[-1] == ("heading", "Business Outlook")


def test_markdown_links_are_their_text_with_file_columns_kept():
    document = parse_lines("t.txt", ["Exhibit", "", "[99.1](#) [Announcement of Results](#)"])
    block = document.blocks[-1]
    assert block.text == "99.1 Announcement of Results"
    # "Announcement" is at file column 12 (after "[99.1](#) [")
    assert block.file_column(0, block.text.index("Announcement")) == 12
    # a footnote mark in brackets is no link
    assert parse_lines("t.txt", ["[1] This announcement contains translations."]).blocks[0].text.startswith("[1] ")


def test_samples_cover_pages():
    for name in ("kc-2024-annual-results", "kc-2025-annual-results", "kc-2025-h1-interim-results"):
        document = read_document(samples_dir() / f"{name}.txt")
        headings = [b.text for b in document.blocks if isinstance(b, Heading)]
        assert not [h for h in headings if h.startswith(("Form 20-F", "By:", "Name:", "Title:"))], name
        texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
        assert not [t for t in texts if "](#)" in t], name
