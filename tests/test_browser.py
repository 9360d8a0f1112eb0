"""What a person sees, in headless Chromium from local files (no server, no network): the report's
statement tables and marked figures, and the viewer listing the report's facts, its sections and
a fact's details. Skipped only when no Chromium is installed (CI installs Debian's)."""

from __future__ import annotations

import json

import pytest

from browser import Browser, find_browser

BROWSER = find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (apt-get install chromium); "
                                                       "CI installs it in .ci/run")
SAMPLE = "kc-2025-q2-press-release"


@pytest.fixture()
def browser(tmp_path):
    b = Browser(BROWSER, tmp_path / "profile")
    try:
        yield b
    finally:
        b.close()


def test_report_renders_its_statements_and_marks(built, browser):
    folder = built[SAMPLE].result.folder
    browser.open((folder / "reports" / f"{SAMPLE}.xhtml").as_uri())
    # the new target may still show about:blank (complete) for a moment: wait for the report itself
    assert browser.wait_for("location.protocol === 'file:' && document.readyState === 'complete' "
                            "&& document.getElementById('L176') !== null")
    # an XML error would replace the page with a parsererror
    assert browser.evaluate("document.getElementsByTagName('parsererror').length") == 0
    table = json.loads(browser.evaluate("""JSON.stringify((() => {
        const t = document.getElementById('L176');
        const box = t.getBoundingClientRect();
        return {rows: t.rows.length, width: box.width, height: box.height,
                reading: [...t.querySelector('tr.reading').cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()),
                total: [...t.rows].find(r => r.cells[0].innerText.trim() === 'Total revenues').innerText};
    })())"""))
    assert table["rows"] > 30 and table["width"] > 400 and table["height"] > 500  # laid out, visible
    assert table["reading"][-2:] == ["Six months ended Jun 30, 2025 RMB", "Six months ended Jun 30, 2025 US$"]
    assert "2,349,227" in table["total"]
    marks = json.loads(browser.evaluate("""JSON.stringify((() => {
        const m = [...document.querySelectorAll('span.tagged')];
        const bg = getComputedStyle(m[0]).backgroundColor;
        document.getElementById('show-tags').click();
        return {count: m.length, on: bg, off: getComputedStyle(m[0]).backgroundColor, title: m[0].title};
    })())"""))
    assert marks["count"] > 500
    assert marks["on"] != marks["off"] and marks["off"] in ("rgba(0, 0, 0, 0)", "transparent")
    assert marks["title"].startswith("line ")


def test_viewer_lists_the_reports_facts(built, browser):
    result = built[SAMPLE].result
    browser.open((result.folder / "viewer.html").as_uri())
    total = browser.wait_for("(() => { const t = document.querySelector('.total-facts-value'); "
                             "return t ? t.textContent.trim() : ''; })()", timeout=90)
    assert total == str(result.facts)
    text = browser.wait_for("(() => { const t = document.body.innerText; "
                            "return t.includes('Balance Sheets') && !t.includes('Initializing') ? t : ''; })()", timeout=60)
    assert "Statement - Unaudited Condensed Consolidated Balance Sheets" in text  # sections
    # the report inside the viewer, its figures tagged; the inspector shows a fact clicked
    inside = browser.evaluate("document.querySelector('iframe').contentDocument.querySelectorAll('.ixbrl-element').length")
    assert inside > 500
    browser.evaluate("(() => { const d = document.querySelector('iframe').contentDocument; "
                     "[...d.querySelectorAll('.ixbrl-element')].find(e => e.textContent.trim() === '2,349,227').click(); })()")
    details = browser.wait_for("(() => { const t = document.querySelector('.fact-details'); "
                               "return t && t.innerText.includes('2,349,227,000') ? t.innerText : ''; })()", timeout=20)
    assert "RevenueFromContractWithCustomerExcludingAssessedTax" in details
    assert "1 Apr 2025 to 30 Jun 2025" in details
    # search: once its index is built, a query lists the matching facts
    browser.wait_for("!document.querySelector('.search-results').innerText.includes('building index')", timeout=60)
    browser.evaluate("(() => { const i = document.querySelector('#ixbrl-search'); i.value = 'Gross Profit'; "
                     "i.dispatchEvent(new Event('input', {bubbles: true})); "
                     "i.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 't'})); })()")
    results = browser.wait_for("(() => { const t = document.querySelector('.search-results').innerText; "
                               "return t.includes('Gross Profit') ? t : ''; })()", timeout=30)
    assert "Gross Profit" in results
