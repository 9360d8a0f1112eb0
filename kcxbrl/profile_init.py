"""`kcxbrl profile init DOC.txt`: a starting issuer profile for a document whose issuer has none.

It holds what the document states about its issuer (name, ticker, stock code, Commission file
number, CIK, fiscal year end; what it does not state is left as a comment to fill in), and
every row the base mapping left unmapped, each as a rule with a proposed concept (the
taxonomy concept whose labels are nearest the row's label) for the user to confirm. The rules
are written commented out: a guess becomes a mapping only when a person says so.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

from kcxbrl.dts import Taxonomy
from kcxbrl.findings import Finding
from kcxbrl.read import normalise_label, read_document
from kcxbrl.understand import StatedIdentity, choose_profile, stated_identity, understand

_ROW = re.compile(r"^no concept for row '(?P<label>.*)' \(section '(?P<section>.*)'\) in a (?P<kind>\w+) table")
_WORD = re.compile(r"[a-z]+")
_STOP = {"and", "of", "the", "in", "for", "to", "from", "on", "net", "total", "a", "by", "at", "or", "with"}


def starting_profile(path: Path, base: Taxonomy) -> tuple[str, str]:
    """(file stem for the profile, its TOML text)."""
    document = read_document(path)
    identity = stated_identity(document)
    profile, _ = choose_profile(document, base, [])  # the identity the document states, base taxonomy only
    tagging = understand(document, profile)
    slug = re.sub(r"[^a-z0-9]+", "-", profile.name.lower()).strip("-") or "issuer"
    cover = {f.concept: f.value for f in tagging.text_facts}
    assumed = [f for f in tagging.findings if f.code == "cover.assumed"]
    year_end = (cover["CurrentFiscalYearEndDate"],
                any("CurrentFiscalYearEndDate" in f.message for f in assumed))
    form = (cover["DocumentType"], next((f"from what line {f.ref.line} says, cover.assumed in findings.json"
                                         for f in assumed if f.message.startswith("DocumentType")), ""))
    return slug, _text(path.name, identity, profile.name, _unmapped(tagging.findings), base, slug, year_end, form)


def _unmapped(findings: tuple[Finding, ...]) -> dict[str, list[tuple[str, str, int]]]:
    """kind -> [(label, section, line)] of the rows no rule mapped, each label once."""
    rows: dict[str, list[tuple[str, str, int]]] = {}
    seen: set[tuple[str, str]] = set()
    for finding in findings:
        m = _ROW.match(finding.message) if finding.code == "mapping.unmappedRow" else None
        if m and (m["kind"], normalise_label(m["label"])) not in seen:
            seen.add((m["kind"], normalise_label(m["label"])))
            rows.setdefault(m["kind"], []).append((m["label"], m["section"], finding.ref.line))
    return rows


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _STOP}


def propose(label: str, kind: str, taxonomy: Taxonomy) -> list[tuple[float, str, str]]:
    """The three concepts whose labels are nearest the row label: (score, concept, label), the
    concepts the table kind's role presents first among equals."""
    role = next((k.role for k in taxonomy.tables if k.kind == kind), None)
    in_role = {n.concept for r in taxonomy.roles if r.id == role for n in r.tree}
    wanted = _words(label)
    scored = []
    for concept in taxonomy.concepts.values():
        if not concept.numeric:
            continue
        best = 0.0
        for text in filter(None, (concept.label, concept.total, concept.negated, concept.terse)):
            words = _words(re.sub(r"\[.*?\]", "", text))
            overlap = len(wanted & words) / len(wanted | words) if wanted | words else 0.0
            best = max(best, 0.6 * overlap + 0.4 * SequenceMatcher(None, label.lower(), text.lower()).ratio())
        scored.append((round(best + (0.05 if concept.name in in_role else 0.0), 2), concept.name, concept.label))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return scored[:3]


def _pattern(label: str, end: bool) -> str:
    """A regex for a normalised label, as a TOML string."""
    return _toml_string("^" + re.escape(normalise_label(label)).replace("\\ ", " ") + ("$" if end else ""))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(file: str, identity: StatedIdentity, name: str, unmapped: dict[str, list[tuple[str, str, int]]],
          base: Taxonomy, slug: str, year_end: tuple[str, bool] | None = None,
          form: tuple[str, str] | None = None) -> str:
    lines = [f"# A starting issuer profile for {name}, written by `kcxbrl profile init {file}`.",
             "# Check every value against the issuer's filings; what the document does not state is left",
             "# commented out for you to fill in. Then: kcxbrl build DOC.txt --profile THIS-FILE.toml", "",
             f"name = {_toml_string(name)}"]
    others = [n for n in identity.names[1:4] if n != name]
    if others:
        lines.append(f"# other names the document prints: {', '.join(others)}")
    lines.append(f'cik = "{identity.cik}"' if identity.cik else '# cik = "0000000000"  # not stated: the SEC CIK, 10 digits')
    lines.append(f'file_number = "{identity.file_number}"' if identity.file_number
                 else '# file_number = "001-00000"  # not stated: the Commission file number')
    year_end = year_end or (identity.fiscal_year_end or "--12-31", not identity.fiscal_year_end)
    lines.append(f'fiscal_year_end = "{year_end[0]}"' + ("  # not stated: assumed December 31" if year_end[1] else ""))
    lines.append(f'trading_symbol = "{identity.tickers[0]}"' if identity.tickers
                 else '# trading_symbol = "XXXX"  # not stated')
    if identity.stock_codes:
        lines.append("stock_codes = [" + ", ".join(f'"{c}"' for c in identity.stock_codes) + "]")
    if form:  # the form of the filing that carries its releases, as the document let the tool decide it
        lines.append(f'default_document_type = "{form[0]}"' + (f"  # assumed {form[1]}" if form[1] else ""))
    prefix = re.sub(r"[^a-z]", "", (identity.tickers[0] if identity.tickers else slug).lower())[:12] or "issuer"
    lines += ["", "# The issuer's own part of the taxonomy: its members and measures go in [taxonomy.concepts],",
              "# the labels it prints them with in [[taxonomy.tables]] rows (tried before the base mapping's).",
              "[taxonomy]", f'prefix = "{prefix}"']
    if not unmapped:
        lines += ["", "# The base mapping mapped every row of the document's statements."]
    for kind, rows in unmapped.items():
        lines += ["", f"# Rows of the {kind} tables that the base mapping does not know, with the nearest concepts.",
                  "# Confirm a rule by removing the '# ' before its lines (and its [[taxonomy.tables]] header once),",
                  "# or write the right concept.", "# [[taxonomy.tables]]", f'# kind = "{kind}"']
        for label, section, line in rows:
            proposals = propose(label, kind, base)
            lines += ["# [[taxonomy.tables.rows]]", f"# label = {_pattern(label, end=True)}"]
            if section:
                lines.append(f"# section = {_pattern(section, end=False)}")
            if proposals:
                score, concept, text = proposals[0]
                lines.append(f'# concept = "{concept}"  # line {line}: nearest label "{text}" ({score:.2f})')
                lines += [f'#   or "{c}" ("{t}", {s:.2f})' for s, c, t in proposals[1:]]
    return "\n".join(lines) + "\n"
