"""Generate the taxonomy files from the declarative source (taxonomy/source/*.toml).

    python -m kcxbrl.taxonomy_gen          # rewrite taxonomy/kcx-2026/
    python -m kcxbrl.taxonomy_gen --check  # exit 1 if the committed files are not current

Output: one schema (concepts, roles, linkbase references), label, presentation,
Calculations 1.1 and definition linkbases, and taxonomy-package metadata (META-INF).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kcxbrl.resources import taxonomy_dir
from kcxbrl.taxonomy_model import (
    NAMESPACE, PREFIX, SCHEMA_FILE, TAXONOMY_URL_BASE, VERSION, Concept, Role, Taxonomy, load_taxonomy,
)

XS = "http://www.w3.org/2001/XMLSchema"
XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XBRLDT = "http://xbrl.org/2005/xbrldt"
DTR = "http://www.xbrl.org/dtr/type/2022-03-31"
DTR_URL = "https://www.xbrl.org/dtr/type/2022-03-31/types.xsd"
TP = "http://xbrl.org/2016/taxonomy-package"
CATALOG = "urn:oasis:names:tc:entity:xmlns:xml:catalog"

SUMMATION_11 = "https://xbrl.org/2023/arcrole/summation-item"
SUMMATION_11_XSD = "https://www.xbrl.org/2023/calculation-1.1.xsd#summation-item"
ROLE_LABEL = "http://www.xbrl.org/2003/role/label"
ROLE_TOTAL = "http://www.xbrl.org/2003/role/totalLabel"
ROLE_NEGATED = "http://www.xbrl.org/2009/role/negatedLabel"
ROLE_TERSE = "http://www.xbrl.org/2003/role/terseLabel"
PREFERRED = {"total": ROLE_TOTAL, "negated": ROLE_NEGATED, "terse": ROLE_TERSE}
STANDARD_ROLE_REFS = {  # label roles outside XBRL 2.1 need a roleRef where they are used
    ROLE_NEGATED: "http://www.xbrl.org/lrr/role/negated-2009-12-16.xsd#negatedLabel",
}
DIM_ARCROLES = {
    "all": "http://xbrl.org/int/dim/arcrole/all",
    "hypercube-dimension": "http://xbrl.org/int/dim/arcrole/hypercube-dimension",
    "dimension-domain": "http://xbrl.org/int/dim/arcrole/dimension-domain",
    "domain-member": "http://xbrl.org/int/dim/arcrole/domain-member",
    "dimension-default": "http://xbrl.org/int/dim/arcrole/dimension-default",
}

OUTPUT_DIR = f"kcx-{VERSION}"
LAB, PRE, CAL, DEF = (f"kcx-{VERSION}-{kind}.xml" for kind in ("lab", "pre", "cal", "def"))

# type in the source -> (schema type, substitution group)
ITEM_TYPES = {
    "monetary": "xbrli:monetaryItemType",
    "shares": "xbrli:sharesItemType",
    "perShare": "dtr-types:perShareItemType",
    "pure": "xbrli:pureItemType",
    "percent": "dtr-types:percentItemType",
    "integer": "xbrli:integerItemType",
    "string": "xbrli:stringItemType",
    "normalizedString": "xbrli:normalizedStringItemType",
    "textBlock": "dtr-types:textBlockItemType",
    "date": "xbrli:dateItemType",
    "boolean": "xbrli:booleanItemType",
    "gYear": "xbrli:gYearItemType",
    "gMonthDay": "xbrli:gMonthDayItemType",
    "domain": "dtr-types:domainItemType",
    "abstract": "xbrli:stringItemType",
    "axis": "xbrli:stringItemType",
    "table": "xbrli:stringItemType",
    # dei types, re-declared in our schema with dei's restrictions
    "submissionType": f"{PREFIX}:submissionTypeItemType",
    "fiscalPeriod": f"{PREFIX}:fiscalPeriodItemType",
    "centralIndexKey": f"{PREFIX}:centralIndexKeyItemType",
    "fileNumber": f"{PREFIX}:fileNumberItemType",
    "tradingSymbol": f"{PREFIX}:tradingSymbolItemType",
}
# dei's own item types: (name, base, pattern or enumeration)
DEI_TYPES = (
    ("submissionTypeItemType", "xbrli:normalizedStringItemType", None),
    ("fiscalPeriodItemType", "xbrli:tokenItemType",
     ("FY", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "M9", "T1", "T2", "T3", "M8", "CY")),
    ("centralIndexKeyItemType", "xbrli:tokenItemType", r"[0-9]{10}"),
    ("fileNumberItemType", "xbrli:normalizedStringItemType", None),
    ("tradingSymbolItemType", "xbrli:normalizedStringItemType", None),
)


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _loc_label(name: str) -> str:
    return f"loc_{name}"


# ---------------------------------------------------------------- schema


def build_schema(tax: Taxonomy) -> bytes:
    nsmap = {"xs": XS, "xbrli": XBRLI, "link": LINK, "xlink": XLINK, "xbrldt": XBRLDT,
             "dtr-types": DTR, PREFIX: NAMESPACE}
    root = etree.Element(_q(XS, "schema"), nsmap=nsmap, targetNamespace=NAMESPACE,
                         elementFormDefault="qualified", attributeFormDefault="unqualified")
    annotation = etree.SubElement(etree.SubElement(root, _q(XS, "annotation")), _q(XS, "appinfo"))
    for href in (LAB, PRE, CAL, DEF):
        role = {LAB: "label", PRE: "presentation", CAL: "calculation", DEF: "definition"}[href]
        etree.SubElement(annotation, _q(LINK, "linkbaseRef"), {
            _q(XLINK, "type"): "simple", _q(XLINK, "href"): href,
            _q(XLINK, "role"): f"http://www.xbrl.org/2003/role/{role}LinkbaseRef",
            _q(XLINK, "arcrole"): "http://www.w3.org/1999/xlink/properties/linkbase"})
    for role in tax.roles:
        rt = etree.SubElement(annotation, _q(LINK, "roleType"), roleURI=role.uri, id=f"role_{role.id}")
        etree.SubElement(rt, _q(LINK, "definition")).text = role.definition
        for used in ("link:presentationLink", "link:calculationLink", "link:definitionLink"):
            etree.SubElement(rt, _q(LINK, "usedOn")).text = used
    for ns, loc in (
        (XBRLI, "http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"),
        (XBRLDT, "http://www.xbrl.org/2005/xbrldt-2005.xsd"),
        (DTR, DTR_URL),
    ):
        etree.SubElement(root, _q(XS, "import"), namespace=ns, schemaLocation=loc)
    for name, base, restriction in DEI_TYPES:
        ct = etree.SubElement(root, _q(XS, "complexType"), name=name)
        sc = etree.SubElement(ct, _q(XS, "simpleContent"))
        rs = etree.SubElement(sc, _q(XS, "restriction"), base=base)
        if isinstance(restriction, tuple):
            for value in restriction:
                etree.SubElement(rs, _q(XS, "enumeration"), value=value)
        elif restriction:
            etree.SubElement(rs, _q(XS, "pattern"), value=restriction)
    for concept in sorted(tax.concepts.values(), key=lambda c: c.name):
        etree.SubElement(root, _q(XS, "element"), _element_attributes(concept))
    return _xml(root)


def _element_attributes(c: Concept) -> dict[str, str]:
    attrs = {"name": c.name, "id": f"{PREFIX}_{c.name}", "type": ITEM_TYPES[c.type], "nillable": "true"}
    attrs["substitutionGroup"] = {"axis": "xbrldt:dimensionItem", "table": "xbrldt:hypercubeItem"}.get(c.type, "xbrli:item")
    if c.abstract:
        attrs["abstract"] = "true"
    attrs[_q(XBRLI, "periodType")] = c.period
    if c.balance:
        attrs[_q(XBRLI, "balance")] = c.balance
    return attrs


# ---------------------------------------------------------------- linkbases


def _linkbase() -> etree._Element:
    return etree.Element(_q(LINK, "linkbase"), nsmap={"link": LINK, "xlink": XLINK, "xbrldt": XBRLDT})


def _role_ref(parent: etree._Element, role: Role) -> None:
    etree.SubElement(parent, _q(LINK, "roleRef"), {
        "roleURI": role.uri, _q(XLINK, "type"): "simple", _q(XLINK, "href"): f"{SCHEMA_FILE}#role_{role.id}"})


def _loc(link: etree._Element, name: str, label: str | None = None) -> None:
    etree.SubElement(link, _q(LINK, "loc"), {
        _q(XLINK, "type"): "locator", _q(XLINK, "href"): f"{SCHEMA_FILE}#{PREFIX}_{name}",
        _q(XLINK, "label"): label or _loc_label(name)})


def _arc(link: etree._Element, tag: str, arcrole: str, frm: str, to: str, **extra: str) -> None:
    attrs = {_q(XLINK, "type"): "arc", _q(XLINK, "arcrole"): arcrole, _q(XLINK, "from"): frm, _q(XLINK, "to"): to}
    for key, value in extra.items():
        attrs[_q(XLINK, key[6:]) if key.startswith("xlink_") else (_q(XBRLDT, key[7:]) if key.startswith("xbrldt_") else key)] = value
    etree.SubElement(link, _q(LINK, tag), attrs)


def build_labels(tax: Taxonomy) -> bytes:
    root = _linkbase()
    etree.SubElement(root, _q(LINK, "roleRef"), {
        "roleURI": ROLE_NEGATED, _q(XLINK, "type"): "simple", _q(XLINK, "href"): STANDARD_ROLE_REFS[ROLE_NEGATED]})
    link = etree.SubElement(root, _q(LINK, "labelLink"), {
        _q(XLINK, "type"): "extended", _q(XLINK, "role"): "http://www.xbrl.org/2003/role/link"})
    for concept in sorted(tax.concepts.values(), key=lambda c: c.name):
        _loc(link, concept.name)
        for role, text in ((ROLE_LABEL, concept.label), (ROLE_TOTAL, concept.total),
                           (ROLE_NEGATED, concept.negated), (ROLE_TERSE, concept.terse)):
            if not text:
                continue
            suffix = role.rsplit("/", 1)[-1]
            lab = etree.SubElement(link, _q(LINK, "label"), {
                _q(XLINK, "type"): "resource", _q(XLINK, "label"): f"lab_{concept.name}",
                _q(XLINK, "role"): role, "{http://www.w3.org/XML/1998/namespace}lang": "en",
                "id": f"lab_{concept.name}_{suffix}"})
            lab.text = text
        _arc(link, "labelArc", "http://www.xbrl.org/2003/arcrole/concept-label", _loc_label(concept.name), f"lab_{concept.name}")
    return _xml(root)


def build_presentation(tax: Taxonomy) -> bytes:
    root = _linkbase()
    for role in tax.roles:
        _role_ref(root, role)
    if any(node.preferred == "negated" for role in tax.roles for node in role.tree):
        etree.SubElement(root, _q(LINK, "roleRef"), {
            "roleURI": ROLE_NEGATED, _q(XLINK, "type"): "simple", _q(XLINK, "href"): STANDARD_ROLE_REFS[ROLE_NEGATED]})
    for role in tax.roles:
        link = etree.SubElement(root, _q(LINK, "presentationLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        seen: set[str] = set()
        parents: list[str] = []
        order: dict[str, int] = {}
        for node in role.tree:
            if node.concept not in seen:
                _loc(link, node.concept)
                seen.add(node.concept)
            parents = parents[: node.depth]
            if parents:
                parent = parents[-1]
                order[parent] = order.get(parent, 0) + 1
                extra = {"order": str(order[parent])}
                if node.preferred:
                    extra["preferredLabel"] = PREFERRED[node.preferred]
                _arc(link, "presentationArc", "http://www.xbrl.org/2003/arcrole/parent-child",
                     _loc_label(parent), _loc_label(node.concept), **extra)
            parents.append(node.concept)
    return _xml(root)


@dataclass(frozen=True)
class CalcArc:
    role: Role
    total: str
    item: str
    weight: int
    order: int


def calc_arcs(tax: Taxonomy) -> list[CalcArc]:
    """Every Calculations 1.1 arc of the taxonomy, as written to the calculation linkbase."""
    return [CalcArc(role, s.total, item, weight, k)
            for role in tax.roles for s in role.calc for k, (item, weight) in enumerate(s.items, start=1)]


def build_calculation(tax: Taxonomy) -> bytes:
    root = _linkbase()
    for role in tax.roles:
        if role.calc:
            _role_ref(root, role)
    etree.SubElement(root, _q(LINK, "arcroleRef"), {
        "arcroleURI": SUMMATION_11, _q(XLINK, "type"): "simple", _q(XLINK, "href"): SUMMATION_11_XSD})
    for role in tax.roles:
        if not role.calc:
            continue
        link = etree.SubElement(root, _q(LINK, "calculationLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        seen: set[str] = set()
        for summation in role.calc:
            for name in [summation.total] + [c for c, _ in summation.items]:
                if name not in seen:
                    _loc(link, name)
                    seen.add(name)
        for arc in calc_arcs(tax):
            if arc.role.id == role.id:
                _check_weight(tax, arc.total, arc.item, arc.weight)
                _calc_arc(link, arc)
    return _xml(root)


def _calc_arc(link: etree._Element, arc: CalcArc, **extra: str) -> None:
    _arc(link, "calculationArc", SUMMATION_11, _loc_label(arc.total), _loc_label(arc.item),
         order=str(arc.order), weight=f"{arc.weight}.0", **extra)


def build_report_extension(name: str, prohibited: list[CalcArc]) -> dict[str, bytes]:
    """A report's own entry schema: imports the taxonomy and, where the report's statement does
    not print an item of a taxonomy sum (an impairment shown inside G&A, say), prohibits that
    arc, so Calculations 1.1 checks the sums this report prints."""
    namespace = f"{TAXONOMY_URL_BASE}report/{name}"
    schema = etree.Element(_q(XS, "schema"), nsmap={"xs": XS, "link": LINK, "xlink": XLINK},
                           targetNamespace=namespace, elementFormDefault="qualified")
    files: dict[str, bytes] = {}
    if prohibited:
        appinfo = etree.SubElement(etree.SubElement(schema, _q(XS, "annotation")), _q(XS, "appinfo"))
        etree.SubElement(appinfo, _q(LINK, "linkbaseRef"), {
            _q(XLINK, "type"): "simple", _q(XLINK, "href"): f"{name}-cal.xml",
            _q(XLINK, "role"): "http://www.xbrl.org/2003/role/calculationLinkbaseRef",
            _q(XLINK, "arcrole"): "http://www.w3.org/1999/xlink/properties/linkbase"})
        root = _linkbase()
        roles = list({arc.role.id: arc.role for arc in prohibited}.values())
        for role in roles:
            _role_ref(root, role)
        etree.SubElement(root, _q(LINK, "arcroleRef"), {
            "arcroleURI": SUMMATION_11, _q(XLINK, "type"): "simple", _q(XLINK, "href"): SUMMATION_11_XSD})
        for role in roles:
            link = etree.SubElement(root, _q(LINK, "calculationLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
            arcs = [a for a in prohibited if a.role.id == role.id]
            for concept in dict.fromkeys([a.total for a in arcs] + [a.item for a in arcs]):
                _loc(link, concept)
            for arc in arcs:
                _calc_arc(link, arc, use="prohibited", priority="1")
        files[f"{name}-cal.xml"] = _xml(root)
    etree.SubElement(schema, _q(XS, "import"), namespace=NAMESPACE, schemaLocation=SCHEMA_FILE)
    files[f"{name}.xsd"] = _xml(schema)
    return files


def _check_weight(tax: Taxonomy, total: str, item: str, weight: int) -> None:
    """XBRL 2.1 5.1.1.2: same balances add, opposite balances subtract."""
    a, b = tax.concept(total).balance, tax.concept(item).balance
    if a and b and (weight > 0) != (a == b):
        raise ValueError(f"calc {total} <- {item}: weight {weight} contradicts balances {a}/{b}")


def build_definition(tax: Taxonomy) -> bytes:
    root = _linkbase()
    roles = [r for r in tax.roles if r.dimensions]
    for role in roles:
        _role_ref(root, role)
    if roles:
        for name, arcrole in DIM_ARCROLES.items():
            etree.SubElement(root, _q(LINK, "arcroleRef"), {
                "arcroleURI": arcrole, _q(XLINK, "type"): "simple",
                _q(XLINK, "href"): f"http://www.xbrl.org/2005/xbrldt-2005.xsd#{name}"})
    for role in roles:
        dims = role.dimensions
        assert dims is not None
        link = etree.SubElement(root, _q(LINK, "definitionLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        line_items = [n.concept for n in role.tree if tax.concept(n.concept).numeric]
        names = [dims.line_items, dims.table] + line_items
        for axis, spec in dims.axes.items():
            names += [axis, spec.domain, *spec.members]
        for name in dict.fromkeys(names):
            _loc(link, name)
        _arc(link, "definitionArc", DIM_ARCROLES["all"], _loc_label(dims.line_items), _loc_label(dims.table),
             xbrldt_contextElement="segment", xbrldt_closed="true", order="1")
        for k, item in enumerate(line_items, start=1):
            _arc(link, "definitionArc", DIM_ARCROLES["domain-member"], _loc_label(dims.line_items), _loc_label(item), order=str(k))
        for k, (axis, spec) in enumerate(dims.axes.items(), start=1):
            _arc(link, "definitionArc", DIM_ARCROLES["hypercube-dimension"], _loc_label(dims.table), _loc_label(axis), order=str(k))
            _arc(link, "definitionArc", DIM_ARCROLES["dimension-domain"], _loc_label(axis), _loc_label(spec.domain), order="1")
            # the default arc gets locators of its own (reusing them duplicates the arc network)
            _loc(link, axis, f"default_{axis}")
            _loc(link, spec.domain, f"default_{spec.domain}")
            _arc(link, "definitionArc", DIM_ARCROLES["dimension-default"], f"default_{axis}", f"default_{spec.domain}", order="1")
            for m, member in enumerate(spec.members, start=1):
                _arc(link, "definitionArc", DIM_ARCROLES["domain-member"], _loc_label(spec.domain), _loc_label(member), order=str(m))
    return _xml(root)


# ---------------------------------------------------------------- package metadata


def build_taxonomy_package(entry_url: str, identifier: str) -> bytes:
    root = etree.Element(_q(TP, "taxonomyPackage"), nsmap={"tp": TP})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    for tag, text in (("identifier", identifier), ("name", "kcxbrl taxonomy (US-GAAP-derived)"),
                      ("description", "Concepts derived from us-gaap, srt and dei, with kcxbrl extensions, "
                                      "for results announcements tagged by kcxbrl."),
                      ("version", VERSION), ("publisher", "kcxbrl"), ("publicationDate", "2026-11-21")):
        etree.SubElement(root, _q(TP, tag)).text = text
    eps = etree.SubElement(root, _q(TP, "entryPoints"))
    ep = etree.SubElement(eps, _q(TP, "entryPoint"))
    etree.SubElement(ep, _q(TP, "name")).text = "kcxbrl announcement taxonomy"
    etree.SubElement(ep, _q(TP, "entryPointDocument"), href=entry_url)
    return _xml(root)


def build_catalog(rewrite_prefix: str) -> bytes:
    root = etree.Element(_q(CATALOG, "catalog"), nsmap={None: CATALOG})
    etree.SubElement(root, _q(CATALOG, "rewriteURI"), uriStartString=TAXONOMY_URL_BASE, rewritePrefix=rewrite_prefix)
    return _xml(root)


_FILES_CACHE: dict[int, tuple[Taxonomy, dict[str, bytes]]] = {}


def taxonomy_files(tax: Taxonomy) -> dict[str, bytes]:
    """The taxonomy's files by path relative to its folder (META-INF included); built once per
    taxonomy object, since every report package carries the same files."""
    cached = _FILES_CACHE.get(id(tax))
    if cached is None or cached[0] is not tax:
        cached = _FILES_CACHE[id(tax)] = (tax, _build_files(tax))
    return dict(cached[1])


def _build_files(tax: Taxonomy) -> dict[str, bytes]:
    return {
        SCHEMA_FILE: build_schema(tax),
        LAB: build_labels(tax),
        PRE: build_presentation(tax),
        CAL: build_calculation(tax),
        DEF: build_definition(tax),
        "META-INF/taxonomyPackage.xml": build_taxonomy_package(TAXONOMY_URL_BASE + SCHEMA_FILE, TAXONOMY_URL_BASE),
        "META-INF/catalog.xml": build_catalog("../"),
    }


def write(out: Path, tax: Taxonomy) -> list[Path]:
    written = []
    for rel, data in taxonomy_files(tax).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def stale_files(out: Path, tax: Taxonomy) -> list[str]:
    """Paths whose committed content differs from what the source generates."""
    return [rel for rel, data in taxonomy_files(tax).items()
            if not (out / rel).exists() or (out / rel).read_bytes() != data]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the files are current")
    args = parser.parse_args(argv)
    tax = load_taxonomy()
    out = taxonomy_dir() / OUTPUT_DIR
    if args.check:
        stale = stale_files(out, tax)
        for rel in stale:
            print(f"stale: {out / rel}")
        return 1 if stale else 0
    for path in write(out, tax):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
