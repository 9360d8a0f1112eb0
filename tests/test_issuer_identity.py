"""Whose report it is and which period: the identity US issuers' results releases state
(registrant names with a comma before the suffix, tickers however the exchange is written),
the fiscal year end and period focus a 52/53-week year gives, the form a release is furnished
on, and what the error says when nothing can be tagged. Real 8-K EX-99.1 texts
(tests/fixtures/issuers/{strattec,xpel,legalzoom,flexsteel}) and 111, Inc.'s income statement;
each README gives the source and the true identity. Understand stage only (no Arelle)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

import pytest

from kcxbrl.dts import default_taxonomy
from kcxbrl.errors import InputError
from kcxbrl.profile import bundled_profiles
from kcxbrl.read import parse_lines, read_document
from kcxbrl.understand import Period, choose_profile, stated_identity, understand
from kcxbrl.understand.cover import document_type, fiscal_period_focus
from kcxbrl.understand.tables import period_start

ISSUERS = Path(__file__).parent / "fixtures" / "issuers"
STRATTEC = ISSUERS / "strattec" / "strattec-fy2026-q4.txt"
STRATTEC_USD = ISSUERS / "strattec" / "strattec-fy2026-q4.usdcaption.txt"
XPEL = ISSUERS / "xpel" / "xpel-2026-q2.txt"
XPEL_USD = ISSUERS / "xpel" / "xpel-2026-q2.usdcaption.txt"
LEGALZOOM = ISSUERS / "legalzoom" / "legalzoom-2026-q2.txt"
FLEXSTEEL = ISSUERS / "flexsteel" / "flexsteel-fy2026-q4.txt"
ONE_ELEVEN = ISSUERS / "111inc" / "111inc-fy2023-r4.txt"


@pytest.fixture(scope="module")
def base():
    return default_taxonomy()


@pytest.fixture(scope="module")
def profiles(base):
    return bundled_profiles(base)


def _profile(path: Path, base, profiles):
    document = read_document(path)
    return document, *choose_profile(document, base, profiles)


def _cover(tagging) -> dict[str, str]:
    return {f.concept: f.value for f in tagging.text_facts}


# ---------------------------------------------------------------- who: names and tickers


@pytest.mark.parametrize("path,name,ticker,line", [
    (STRATTEC, "STRATTEC SECURITY CORPORATION", "STRT", 88),
    (XPEL, "XPEL, Inc.", "XPEL", 133),  # 'is publicly traded on Nasdaq under the symbol "XPEL"' (line 97)
    (LEGALZOOM, "LegalZoom.com, Inc.", "LZ", 91),  # the legal name before the title's brand "LegalZoom"
    (FLEXSTEEL, "Flexsteel Industries, Inc.", "FLXS", 1),  # "Flexsteel Industries, Inc. (NASDAQ: FLXS)"
])
@pytest.mark.parametrize("variant", ["", ".pipe"])
def test_the_registrant_and_ticker_a_us_release_states(base, profiles, path, name, ticker, line, variant):
    path = path.with_name(path.stem + variant + ".txt")
    document, profile, findings = _profile(path, base, profiles)
    identity = stated_identity(document)
    assert identity.names[0] == name and identity.tickers[0] == ticker and identity.ref.line == line
    # no bundled profile is theirs: built with the identity they state, never another issuer's
    assert (profile.name, profile.trading_symbol, profile.cik, profile.id) == (name, ticker, None, "")
    assert [f.code for f in findings] == ["profile.missing"]


def test_a_page_that_names_no_company_states_no_identity(base, profiles):
    document, profile, findings = _profile(ONE_ELEVEN, base, profiles)
    assert stated_identity(document).empty
    assert profile.name == "Unknown registrant" and [f.code for f in findings] == ["profile.missing"]


@pytest.mark.parametrize("line,name", [
    ("Acme Holdings, Ltd.", "Acme Holdings, Ltd."),
    ("Koninklijke Widgets N.V.", "Koninklijke Widgets N.V."),
    ("Example Brands plc", "Example Brands plc"),
    ("Grupo Ejemplo, S.A. de C.V.", "Grupo Ejemplo, S.A. de C.V."),
    ("Widget Makers, Corp.", "Widget Makers, Corp."),
    ("111, Inc.", "111, Inc."),
    ("About Example Software, LLC", "Example Software, LLC"),
])
def test_a_name_line_with_any_corporate_suffix(line, name):
    document = parse_lines("x.txt", ["Results", "", line, "", "Revenue grew."])
    assert stated_identity(document).names == (name,)


@pytest.mark.parametrize("text,ticker", [
    ("Example Corp. (nyse: exm) today reported results.", "EXM"),
    ("Example Corp. (NYSE American: EXA) today reported results.", "EXA"),
    ("Example Corp. (Nasdaq Global Select Market: EXGS) today reported results.", "EXGS"),
    ("Example Corp. is listed on the NYSE under the ticker symbol \u201cEXT\u201d.", "EXT"),
    ("Example Corp. trades on Nasdaq under the symbol EXQ.", "EXQ"),
])
def test_tickers_however_the_exchange_is_written(text, ticker):
    assert stated_identity(parse_lines("x.txt", [text])).tickers == (ticker,)


def test_a_symbol_needs_an_exchange_and_capitals():
    assert stated_identity(parse_lines("x.txt", ["Shares are known under the symbol of success."])).tickers == ()


# ---------------------------------------------------------------- which period: fiscal year, focus, starts


def test_the_fiscal_year_a_release_states(base, profiles):
    strattec = stated_identity(read_document(STRATTEC))  # "fiscal year 2026, which ended June 28, 2026" (line 18)
    assert strattec.fiscal_year_end == "--06-28" and strattec.fiscal_years == ((2026, date(2026, 6, 28)),)
    flexsteel = stated_identity(read_document(FLEXSTEEL))  # "Fiscal Year Ended June 30, 2026" (line 5)
    assert flexsteel.fiscal_year_end == "--06-30"
    assert stated_identity(read_document(XPEL)).fiscal_year_end is None  # it says no year end
    # "half year ended June 30" is no fiscal year
    half = parse_lines("x.txt", ["Results for the half year ended June 30, 2025 and the half-year ended June 30."])
    assert stated_identity(half).fiscal_year_end is None


def test_strattec_is_the_fourth_quarter_of_fiscal_2026(base, profiles):
    document, profile, _ = _profile(STRATTEC_USD, base, profiles)
    tagging = understand(document, profile)
    cover = _cover(tagging)
    assert cover["DocumentFiscalPeriodFocus"] == "Q4" and cover["DocumentFiscalYearFocus"] == "2026"
    assert cover["CurrentFiscalYearEndDate"] == "--06-28" and cover["DocumentPeriodEndDate"] == "2026-06-28"
    assert cover["EntityRegistrantName"] == "STRATTEC SECURITY CORPORATION" and cover["TradingSymbol"] == "STRT"
    assert cover["DocumentType"] == "8-K"  # datelined "MILWAUKEE, WI" (line 18): said, not silent
    said = [f for f in tagging.findings if f.code == "cover.assumed"]
    assert [(f.severity, f.ref.line) for f in said] == [("info", 18)] and "MILWAUKEE, WI" in said[0].message
    # the quarter of a 52/53-week year: 13 weeks to Sunday June 28, 2026 (not March 29: calendar months)
    assert tagging.period == Period(start=date(2026, 3, 30), end=date(2026, 6, 28))
    durations = {(f.context.period.start, f.context.period.end) for f in tagging.facts if f.context.period.start}
    assert (date(2026, 3, 30), date(2026, 6, 28)) in durations
    instants = {f.context.period.end for f in tagging.facts if f.context.period.start is None}
    assert date(2026, 6, 28) in instants <= {date(2026, 6, 28), date(2025, 6, 29)}  # the balance sheet's dates


def _strattec_with_currencies(tmp_path: Path, drop_statement: bool = False) -> Path:
    """The main text with a row of currencies under the income statement's dates (line 92):
    a probe of the twelve-month columns while the release's own columns name no currency."""
    lines = STRATTEC.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[91].startswith("June 28, 2026\tJune 29, 2025")
    lines.insert(92, "\tUS$\tUS$\tUS$\tUS$\n")
    if drop_statement:
        assert ", which ended June 28, 2026" in lines[17]
        lines[17] = lines[17].replace(", which ended June 28, 2026", "")
    path = tmp_path / "strattec-probe.txt"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_twelve_month_column_starts_the_day_after_the_year_before_ends(tmp_path, base, profiles):
    document, profile, _ = _profile(_strattec_with_currencies(tmp_path), base, profiles)
    tagging = understand(document, profile)
    sales = {(f.context.period.start, f.context.period.end): f.value for f in tagging.facts
             if f.label == "Net sales" and not f.in_prose}
    # "Twelve Months Ended" over "June 28, 2026 | June 29, 2025": fiscal 2026 starts June 30, 2025
    assert sales[(date(2025, 6, 30), date(2026, 6, 28))] == 579_392_000
    # fiscal 2025 (the year before it ended Sunday June 30, 2024 is not printed): 52 weeks
    assert sales[(date(2024, 7, 1), date(2025, 6, 29))] == 565_066_000
    assert sales[(date(2026, 3, 30), date(2026, 6, 28))] == 151_827_000
    assert sales[(date(2025, 3, 31), date(2025, 6, 29))] == 152_013_000


def test_the_fiscal_year_end_from_a_twelve_month_column_when_the_text_does_not_say(tmp_path, base, profiles):
    document, profile, _ = _profile(_strattec_with_currencies(tmp_path, drop_statement=True), base, profiles)
    assert stated_identity(document).fiscal_year_end is None and profile.fiscal_year_end == "--12-31"
    cover = _cover(understand(document, profile))
    assert cover["CurrentFiscalYearEndDate"] == "--06-28"
    assert (cover["DocumentFiscalYearFocus"], cover["DocumentFiscalPeriodFocus"]) == ("2026", "Q4")


def test_xpel_is_the_second_quarter_of_a_calendar_year(base, profiles):
    document, profile, _ = _profile(XPEL_USD, base, profiles)
    tagging = understand(document, profile)
    cover = _cover(tagging)
    assert cover["EntityRegistrantName"] == "XPEL, Inc." and cover["TradingSymbol"] == "XPEL"
    assert (cover["DocumentFiscalYearFocus"], cover["DocumentFiscalPeriodFocus"]) == ("2026", "Q2")
    assert cover["CurrentFiscalYearEndDate"] == "--12-31" and cover["DocumentType"] == "8-K"
    assert tagging.period == Period(start=date(2026, 4, 1), end=date(2026, 6, 30))
    said = {f.ref.line: f.message for f in tagging.findings if f.code == "cover.assumed"}
    assert "Form 10-Q" in said[99]  # "... its Quarterly Report on Form 10-Q ..." names a US domestic filer
    assert "--12-31 is assumed" in said[133]  # nothing states the year end: said, not silent
    assert all(f.severity == "info" for f in tagging.findings if f.code == "cover.assumed")


@pytest.mark.parametrize("path,form,line", [
    (STRATTEC, "8-K", 18),  # "MILWAUKEE, WI , August 25, 2026 —"
    (FLEXSTEEL, "8-K", 3),  # "Dubuque, Iowa – August 17, 2026 –"
    (LEGALZOOM, "8-K", 17),  # "MOUNTAIN VIEW, California – August 5, 2026 –"
    (XPEL, "8-K", 99),  # "Form 10-Q"
    (ONE_ELEVEN, "6-K", 1),  # nothing says: the documented default, said
])
def test_the_form_a_release_is_furnished_on(base, profiles, path, form, line):
    document, profile, _ = _profile(path, base, profiles)
    found, _, finding = document_type(document, profile)
    assert found == form and finding is not None and finding.severity == "info" and finding.ref.line == line


def test_an_exchange_alone_does_not_decide_the_form(base):
    document = parse_lines("x.txt", ["Example Corp. (NASDAQ: EXM) reported results.", "", "Revenue grew."])
    profile, _ = choose_profile(document, base, [])
    assert document_type(document, profile)[0] == "6-K"
    foreign = parse_lines("x.txt", ["BEIJING, China, May 1, 2026 /PRNewswire/ -- Example (NASDAQ: EXM) reported.",
                                    "", "See its annual report on Form 20-F."])
    assert document_type(foreign, profile)[0] == "6-K"


@pytest.mark.parametrize("start,end,fye,named,expected", [
    (date(2026, 3, 30), date(2026, 6, 28), (6, 28), (), ("2026", "Q4")),
    (date(2025, 6, 30), date(2026, 6, 28), (6, 28), (), ("2026", "FY")),
    # a 53-week year ending a few days after the month-day the profile gives: still that year
    (date(2022, 4, 3), date(2022, 7, 2), (6, 30), (), ("2022", "Q4")),
    (date(2026, 6, 29), date(2026, 9, 27), (6, 28), (), ("2027", "Q1")),
    # a retailer naming its year by the year it starts in: the text's name is used
    (date(2025, 2, 2), date(2026, 1, 31), (1, 31), ((2025, date(2026, 1, 31)),), ("2025", "FY")),
    # calendar years, as before
    (date(2025, 4, 1), date(2025, 6, 30), (12, 31), (), ("2025", "Q2")),
    (date(2025, 1, 1), date(2025, 6, 30), (12, 31), (), ("2025", "H1")),
    (date(2024, 1, 1), date(2024, 12, 31), (12, 31), (), ("2024", "FY")),
    (date(2024, 1, 1), date(2024, 9, 30), (12, 31), (), ("2024", "M9")),
    (date(2024, 4, 1), date(2024, 6, 30), (3, 31), (), ("2025", "Q1")),
])
def test_fiscal_period_focus(start, end, fye, named, expected):
    assert fiscal_period_focus(Period(start=start, end=end), fye, named) == expected


def _calendar_start(end: date, months: int) -> date:
    """period_start as it was for every period: the day after `end`, `months` back."""
    nxt = end + timedelta(days=1)
    year, month = nxt.year, nxt.month - months
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, nxt.day)


def test_a_period_ending_on_a_months_last_day_starts_as_it_always_did():
    for year in range(2000, 2031):
        for month in range(1, 13):
            end = date(year, month, calendar.monthrange(year, month)[1])
            for months in (1, 3, 6, 9, 12, 24):
                assert period_start(end, months, [end - timedelta(days=360), date(year - 1, 12, 31)]) == \
                    _calendar_start(end, months), (end, months)


def test_a_52_53_week_period_starts_after_the_printed_end_before_it():
    assert period_start(date(2026, 6, 28), 12, [date(2026, 6, 28), date(2025, 6, 29)]) == date(2025, 6, 30)
    # a 53-week year: the printed end a week earlier than 52 weeks back
    assert period_start(date(2023, 7, 1), 12, [date(2022, 6, 25)]) == date(2022, 6, 26)
    # nothing printed near: whole weeks (13 to a quarter), never an invalid day (May 30 + 1 day, 3 months back)
    assert period_start(date(2026, 5, 30), 3) == date(2026, 3, 1)
    assert period_start(date(2026, 6, 28), 3, [date(2025, 6, 29)]) == date(2026, 3, 30)


# ---------------------------------------------------------------- when nothing can be tagged


def test_a_header_whose_length_of_period_is_not_read_says_so(tmp_path, base, profiles):
    """111, Inc.'s statement with its '12 Months Ended' (which is read) printed as 'Fiscal
    Period Ended' (which says no length)."""
    path = tmp_path / ONE_ELEVEN.name
    path.write_text(ONE_ELEVEN.read_text(encoding="utf-8").replace("12 Months Ended", "Fiscal Period Ended"),
                    encoding="utf-8")
    document, profile, _ = _profile(path, base, profiles)
    with pytest.raises(InputError) as raised:
        understand(document, profile)
    message = str(raised.value)
    assert "the table at line 3 is a statement the mapping knows (income)" in message
    assert "prints the dates Dec. 31, 2023, Dec. 31, 2022, Dec. 31, 2021" in message
    assert "'Fiscal Period Ended', above the first figures, is not read as a header row" in message
    assert "names no period or date" not in message


NO_CURRENCY = """Example Widgets, Inc. Reports Results

CONDENSED CONSOLIDATED STATEMENTS OF INCOME
(in thousands)
\tThree Months Ended June 30,
\t2026\t2025
Net revenues\t1,000\t900
Cost of revenues\t400\t350
Gross profit\t600\t550
Operating income\t200\t150
Net income\t150\t100
"""


def test_a_statement_whose_columns_name_no_currency_is_said_to_be_one(tmp_path, base, profiles):
    path = tmp_path / "no-currency.txt"
    path.write_text(NO_CURRENCY, encoding="utf-8")
    document, profile, _ = _profile(path, base, profiles)
    with pytest.raises(InputError) as raised:
        understand(document, profile)
    message = str(raised.value)
    assert "no figure tagged: the table at line 5 is a statement the mapping knows (income)" in message
    assert "but no currency" in message and "3 months to 2026-06-30" in message
    assert "no table is one the mapping knows" not in message


def test_a_starting_profile_keeps_the_form_and_year_end_the_document_settled(base):
    from kcxbrl.profile_init import starting_profile

    slug, text = starting_profile(XPEL_USD, base)
    assert slug == "xpel-inc" and 'name = "XPEL, Inc."' in text and 'trading_symbol = "XPEL"' in text
    assert 'default_document_type = "8-K"  # assumed from what line 99 says' in text
    assert 'fiscal_year_end = "--12-31"  # not stated: assumed December 31' in text
    _, text = starting_profile(STRATTEC_USD, base)
    assert 'fiscal_year_end = "--06-28"\n' in text and 'default_document_type = "8-K"' in text


def test_the_fiscal_year_end_from_the_quarter_the_text_names(tmp_path, base, profiles):
    """Strattec's release without "which ended June 28, 2026" and with its income statement's
    twelve-month columns cut (so neither the text nor a column says when the year ends):
    "Fourth quarter fiscal 2026" (line 4, named most often) over a reporting quarter to June 28,
    2026 ends fiscal 2026 on that day."""
    assert stated_identity(read_document(STRATTEC)).fiscal_quarters[0] == (4, 2026, 4)
    text = STRATTEC_USD.read_text(encoding="utf-8")
    assert text.count(", which ended June 28, 2026") == 1
    lines = text.replace(", which ended June 28, 2026", "").split("\n")
    header = lines.index("Three Months Ended\tTwelve Months Ended")
    lines[header] = "\tThree Months Ended"
    end = lines.index("", header)
    lines[header + 1] = "\t".join(lines[header + 1].split("\t")[:2])  # the dates, without a label cell
    lines[header + 2:end] = ["\t".join(line.split("\t")[:3]) for line in lines[header + 2:end]]
    path = tmp_path / "strattec-quarter.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    document, profile, _ = _profile(path, base, profiles)
    tagging = understand(document, profile)
    cover = _cover(tagging)
    assert (cover["CurrentFiscalYearEndDate"], cover["DocumentFiscalYearFocus"], cover["DocumentFiscalPeriodFocus"]) \
        == ("--06-28", "2026", "Q4")
    said = [f for f in tagging.findings if f.code == "cover.fiscalYearEnd"]
    assert [(f.severity, f.ref.line) for f in said] == [("info", 4)] and "quarter 4 of fiscal 2026" in said[0].message
