"""Notes and accounting policies as escaped text blocks, continued after the tables they contain."""

from __future__ import annotations

from lxml import etree

from kcxbrl.understand import understand
from kcxbrl.profile import load_profile
from kcxbrl.read import read_document
from kcxbrl.resources import samples_dir
from kcxbrl.dts import default_taxonomy

from test_golden_facts import FY25, H1_23

IX = "{http://www.xbrl.org/2013/inlineXBRL}"


def _text_block(built, sample: str, concept: str, period: str) -> dict:
    facts = built[sample].facts(concept, period)
    assert len(facts) == 1, f"{concept} {period} in {sample}: {len(facts)} facts"
    return facts[0]


def test_notes_and_policies_are_text_blocks_of_the_reporting_period(built):
    notes = {
        "OrganizationConsolidationAndPresentationOfFinancialStatementsDisclosureTextBlock": "CORPORATE INFORMATION",
        "SignificantAccountingPoliciesTextBlock": "SUMMARY OF SIGNIFICANT ACCOUNTING POLICIES",
        "RevenueFromContractWithCustomerTextBlock": "REVENUES, OTHER LOSS",
        "IncomeTaxDisclosureTextBlock": "TAXATION",
        "EarningsPerShareTextBlock": "LOSS PER SHARE",
        "AccountsPayableAndAccruedLiabilitiesDisclosureTextBlock": "ACCOUNTS PAYABLE",
    }
    for concept, title in notes.items():
        fact = _text_block(built, "kc-2025-annual-results", concept, FY25)
        assert title in fact["value"]
    policy = _text_block(built, "kc-2025-annual-results", "ConvenienceTranslationPolicyTextBlock", FY25)
    assert "(e) Convenience translation" in policy["value"]
    assert "RMB6.9931 per US$1.00 on December 31, 2025" in policy["value"]
    going_concern = _text_block(built, "kc-2023-h1-interim-results", "UseOfEstimates", H1_23)
    assert "(c) Use of estimates" in going_concern["value"]
    # the 2023 interim has no going-concern policy; nothing is invented for it
    assert built["kc-2023-h1-interim-results"].facts("GoingConcernPolicyTextBlock", H1_23) == []


def test_a_note_split_by_its_tables_continues_after_them(built):
    """The revenue note's text stops at each of its three tables and goes on after it: the text
    block holds the three lead-in sentences and none of the tables' figures."""
    fact = _text_block(built, "kc-2025-annual-results", "RevenueFromContractWithCustomerTextBlock", FY25)
    value = fact["value"]
    assert "revenues from contracts with customers disaggregated" in value  # line 521
    assert "The following table presents the Group's other loss, net:" in value  # line 535, after a table
    assert "other (expense) income, net:" in value  # line 546, after the second table
    assert "<table" not in value and "6,633,5" not in value

    page = built["kc-2025-annual-results"].result.folder / "reports" / "kc-2025-annual-results.xhtml"
    root = etree.parse(str(page)).getroot()
    head = root.find(f".//{IX}nonNumeric[@id='{fact['id']}']")
    assert head.get("escape") == "true" and head.get("continuedAt") == f"{fact['id']}-c1"
    chain = [c.get("id") for c in root.iter(f"{IX}continuation") if c.get("id").startswith(fact["id"] + "-")]
    assert chain == [f"{fact['id']}-c1", f"{fact['id']}-c2"]
    assert root.find(f".//{IX}continuation[@id='{fact['id']}-c1']").get("continuedAt") == f"{fact['id']}-c2"


def test_policies_nest_inside_the_policies_note(built):
    page = built["kc-2025-annual-results"].result.folder / "reports" / "kc-2025-annual-results.xhtml"
    root = etree.parse(str(page)).getroot()
    note = next(e for e in root.iter(f"{IX}nonNumeric") if e.get("name") == "kcx:SignificantAccountingPoliciesTextBlock")
    inner = [e.get("name") for e in note.iter(f"{IX}nonNumeric") if e is not note]
    assert inner == ["kcx:BasisOfAccountingPolicyPolicyTextBlock", "kcx:GoingConcernPolicyTextBlock",
                     "kcx:ConsolidationPolicyTextBlock", "kcx:UseOfEstimates",
                     "kcx:ConvenienceTranslationPolicyTextBlock", "kcx:SegmentReportingPolicyPolicyTextBlock"]


def test_a_note_without_a_concept_is_reported_not_tagged(tmp_path):
    source = (samples_dir() / "kc-2025-annual-results.txt").read_text(encoding="utf-8")
    marker = "7. DIVIDENDS"
    assert marker in source
    changed = tmp_path / "kc-extra-note.txt"
    changed.write_text(source.replace(marker, "7. COMMITMENTS AND CONTINGENCIES"), encoding="utf-8")
    tagging = understand(read_document(changed), load_profile("kingsoft-cloud"))
    unmapped = [f for f in tagging.findings if f.code == "textBlock.unmapped"]
    assert [(f.ref.line, "COMMITMENTS AND CONTINGENCIES" in f.message) for f in unmapped] == [(628, True)]
    assert "DividendsTextBlock" not in {b.concept for b in tagging.text_blocks}


def test_cover_facts_are_tagged_where_the_cover_prints_them(built):
    """The 6-K cover prints the form type, file number and registrant name: tagged in place;
    what it does not print (fiscal period focus, CIK) stays in ix:hidden."""
    page = built["kc-2025-annual-results"].result.folder / "reports" / "kc-2025-annual-results.xhtml"
    root = etree.parse(str(page)).getroot()
    hidden = root.find(f".//{IX}hidden")
    in_hidden = {e.get("name") for e in hidden.iter(f"{IX}nonNumeric")}
    assert {"kcx:DocumentFiscalPeriodFocus", "kcx:EntityCentralIndexKey", "kcx:AmendmentFlag"} <= in_hidden
    placed = {e.get("name"): (e.getparent().get("id") or e.getparent().getparent().get("id"), e.text)
              for e in root.iter(f"{IX}nonNumeric") if e.get("id", "").startswith("cover-") and e.get("name") not in in_hidden}
    assert placed["kcx:DocumentType"] == ("L6", "6-K")  # "FORM 6-K"
    assert placed["kcx:EntityFileNumber"] == ("L14", "001-39278")  # "Commission file number: 001-39278"
    assert placed["kcx:EntityRegistrantName"] == ("L16", "Kingsoft Cloud Holdings Limited")
    oim = built["kc-2025-annual-results"].oim["facts"]
    assert oim["cover-EntityFileNumber"]["value"] == "001-39278"
