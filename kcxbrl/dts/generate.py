"""Generate the taxonomy files from the declarative source (taxonomy/source/*.toml).

    python -m kcxbrl.dts          # rewrite taxonomy/kcx-2026/
    python -m kcxbrl.dts --check  # exit 1 if the committed files are not current

Output: one schema (concepts, roles, linkbase references), label, presentation,
Calculations 1.1 and definition linkbases, a formula linkbase (the value assertions of
formulas.toml, a generic linkbase) and taxonomy-package metadata (META-INF).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from lxml import etree

from kcxbrl.resources import taxonomy_dir
from kcxbrl.dts.model import (
    NAMESPACE, PREFIX, SCHEMA_FILE, TAXONOMY_URL_BASE, VERSION, AssertionTerm, CalcArc, Concept, Role, Taxonomy,
    ValueAssertion, calc_arcs, load_taxonomy,
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
LAB, PRE, CAL, DEF, FOR = (f"kcx-{VERSION}-{kind}.xml" for kind in ("lab", "pre", "cal", "def", "for"))

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
    annotation_root = etree.SubElement(root, _q(XS, "annotation"))
    if tax.releases:
        etree.SubElement(annotation_root, _q(XS, "documentation")).text = (
            "Concepts derived from a standard taxonomy keep its name, type, period type and balance as of "
            + ", ".join(f"{name} {release}" for name, release in sorted(tax.releases.items())) + ".")
    annotation = etree.SubElement(annotation_root, _q(XS, "appinfo"))
    for href in (LAB, PRE, CAL, DEF):
        role = {LAB: "label", PRE: "presentation", CAL: "calculation", DEF: "definition"}[href]
        etree.SubElement(annotation, _q(LINK, "linkbaseRef"), {
            _q(XLINK, "type"): "simple", _q(XLINK, "href"): href,
            _q(XLINK, "role"): f"http://www.xbrl.org/2003/role/{role}LinkbaseRef",
            _q(XLINK, "arcrole"): "http://www.w3.org/1999/xlink/properties/linkbase"})
    if tax.assertions:  # a generic linkbase: no xlink:role on its linkbaseRef
        etree.SubElement(annotation, _q(LINK, "linkbaseRef"), {
            _q(XLINK, "type"): "simple", _q(XLINK, "href"): FOR,
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
    attrs = {"name": c.name, "id": f"{c.prefix}_{c.name}", "type": ITEM_TYPES[c.type], "nillable": "true"}
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


def _role_ref(parent: etree._Element, role: Role, tax: Taxonomy | None = None) -> None:
    schema = tax.schema_files[role.owner] if tax is not None else SCHEMA_FILE
    etree.SubElement(parent, _q(LINK, "roleRef"), {
        "roleURI": role.uri, _q(XLINK, "type"): "simple", _q(XLINK, "href"): f"{schema}#role_{role.id}"})


def _loc(link: etree._Element, name: str, label: str | None = None, tax: Taxonomy | None = None) -> None:
    """A locator of a concept in the schema that declares it (`tax` tells for an issuer's
    concepts; without it, the base schema)."""
    prefix = tax.concepts[name].prefix if tax is not None else PREFIX
    schema = tax.schema_files[prefix] if tax is not None else SCHEMA_FILE
    etree.SubElement(link, _q(LINK, "loc"), {
        _q(XLINK, "type"): "locator", _q(XLINK, "href"): f"{schema}#{prefix}_{name}",
        _q(XLINK, "label"): label or _loc_label(name)})


def _arc(link: etree._Element, tag: str, arcrole: str, frm: str, to: str, **extra: str) -> None:
    attrs = {_q(XLINK, "type"): "arc", _q(XLINK, "arcrole"): arcrole, _q(XLINK, "from"): frm, _q(XLINK, "to"): to}
    for key, value in extra.items():
        attrs[_q(XLINK, key[6:]) if key.startswith("xlink_") else (_q(XBRLDT, key[7:]) if key.startswith("xbrldt_") else key)] = value
    etree.SubElement(link, _q(LINK, tag), attrs)


def build_labels(tax: Taxonomy, concepts: list[Concept] | None = None, located: Taxonomy | None = None) -> bytes:
    root = _linkbase()
    etree.SubElement(root, _q(LINK, "roleRef"), {
        "roleURI": ROLE_NEGATED, _q(XLINK, "type"): "simple", _q(XLINK, "href"): STANDARD_ROLE_REFS[ROLE_NEGATED]})
    link = etree.SubElement(root, _q(LINK, "labelLink"), {
        _q(XLINK, "type"): "extended", _q(XLINK, "role"): "http://www.xbrl.org/2003/role/link"})
    for concept in sorted(tax.concepts.values() if concepts is None else concepts, key=lambda c: c.name):
        _loc(link, concept.name, tax=located)
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
        _presentation_tree(link, role)
    return _xml(root)


def _presentation_tree(link: etree._Element, role: Role, start: int = 0, tax: Taxonomy | None = None) -> None:
    """The role's tree as locators and parent-child arcs; with `start`, only the nodes from
    there on (those an issuer adds to a base role, placed after the base's children)."""
    seen: set[str] = set()
    parents: list[str] = []
    order: dict[str, int] = {}
    for k, node in enumerate(role.tree):
        parents = parents[: node.depth]
        if parents:
            parent = parents[-1]
            order[parent] = order.get(parent, 0) + 1
        if k >= start:
            for name in ([parents[-1]] if parents and start and parents[-1] not in seen else []) + [node.concept]:
                if name not in seen:
                    _loc(link, name, tax=tax)
                    seen.add(name)
            if parents:
                extra = {"order": str(order[parents[-1]])}
                if node.preferred:
                    extra["preferredLabel"] = PREFERRED[node.preferred]
                _arc(link, "presentationArc", "http://www.xbrl.org/2003/arcrole/parent-child",
                     _loc_label(parents[-1]), _loc_label(node.concept), **extra)
        parents.append(node.concept)


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


def build_report_extension(name: str, prohibited: list[CalcArc], tax: Taxonomy | None = None) -> dict[str, bytes]:
    """A report's own entry schema: imports the taxonomy (and the issuer's extension) and, where
    the report's statement does not print an item of a taxonomy sum (an impairment shown inside
    G&A, say), prohibits that arc, so Calculations 1.1 checks the sums this report prints."""
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
            _role_ref(root, role, tax)
        etree.SubElement(root, _q(LINK, "arcroleRef"), {
            "arcroleURI": SUMMATION_11, _q(XLINK, "type"): "simple", _q(XLINK, "href"): SUMMATION_11_XSD})
        for role in roles:
            link = etree.SubElement(root, _q(LINK, "calculationLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
            arcs = [a for a in prohibited if a.role.id == role.id]
            for concept in dict.fromkeys([a.total for a in arcs] + [a.item for a in arcs]):
                _loc(link, concept, tax=tax)
            for arc in arcs:
                _calc_arc(link, arc, use="prohibited", priority="1")
        files[f"{name}-cal.xml"] = _xml(root)
    etree.SubElement(schema, _q(XS, "import"), namespace=NAMESPACE, schemaLocation=SCHEMA_FILE)
    if tax is not None and tax.extension is not None:
        etree.SubElement(schema, _q(XS, "import"), namespace=tax.extension.namespace,
                         schemaLocation=tax.extension.schema_file)
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
        _dimension_arcrole_refs(root)
    for role in roles:
        link = etree.SubElement(root, _q(LINK, "definitionLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        _hypercube(link, tax, role)
    return _xml(root)


def _dimension_arcrole_refs(root: etree._Element) -> None:
    for name, arcrole in DIM_ARCROLES.items():
        etree.SubElement(root, _q(LINK, "arcroleRef"), {
            "arcroleURI": arcrole, _q(XLINK, "type"): "simple",
            _q(XLINK, "href"): f"http://www.xbrl.org/2005/xbrldt-2005.xsd#{name}"})


def _line_items(tax: Taxonomy, role: Role) -> list[str]:
    return [n.concept for n in role.tree if tax.concept(n.concept).numeric]


def _hypercube(link: etree._Element, tax: Taxonomy, role: Role, located: Taxonomy | None = None) -> None:
    """The role's hypercube: line items, table, axes with their domains, defaults and members
    (`located`: the taxonomy that says which schema declares each concept, for an issuer's)."""
    dims = role.dimensions
    assert dims is not None
    line_items = _line_items(tax, role)
    names = [dims.line_items, dims.table] + line_items
    for axis, spec in dims.axes.items():
        names += [axis, spec.domain, *spec.members]
    for name in dict.fromkeys(names):
        _loc(link, name, tax=located)
    _arc(link, "definitionArc", DIM_ARCROLES["all"], _loc_label(dims.line_items), _loc_label(dims.table),
         xbrldt_contextElement="segment", xbrldt_closed="true", order="1")
    for k, item in enumerate(line_items, start=1):
        _arc(link, "definitionArc", DIM_ARCROLES["domain-member"], _loc_label(dims.line_items), _loc_label(item), order=str(k))
    for k, (axis, spec) in enumerate(dims.axes.items(), start=1):
        _arc(link, "definitionArc", DIM_ARCROLES["hypercube-dimension"], _loc_label(dims.table), _loc_label(axis), order=str(k))
        _arc(link, "definitionArc", DIM_ARCROLES["dimension-domain"], _loc_label(axis), _loc_label(spec.domain), order="1")
        # the default arc gets locators of its own (reusing them duplicates the arc network)
        _loc(link, axis, f"default_{axis}", tax=located)
        _loc(link, spec.domain, f"default_{spec.domain}", tax=located)
        _arc(link, "definitionArc", DIM_ARCROLES["dimension-default"], f"default_{axis}", f"default_{spec.domain}", order="1")
        for m, member in enumerate(spec.members, start=1):
            _arc(link, "definitionArc", DIM_ARCROLES["domain-member"], _loc_label(spec.domain), _loc_label(member), order=str(m))


# ---------------------------------------------------------------- formula linkbase (value assertions)

GEN = "http://xbrl.org/2008/generic"
VA = "http://xbrl.org/2008/assertion/value"
VARIABLE = "http://xbrl.org/2008/variable"
CF = "http://xbrl.org/2008/filter/concept"
DF = "http://xbrl.org/2008/filter/dimension"
PF = "http://xbrl.org/2008/filter/period"
MSG = "http://xbrl.org/2010/message"
LABEL_2008 = "http://xbrl.org/2008/label"
XFI = "http://www.xbrl.org/2008/function/instance"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The precision logic is written once, as custom functions (Formula custom function
# implementations, cfi) that every assertion calls: Arelle compiles each XPath expression with a
# slow parser, so one short call per use instead of the logic spelled out in every variable.
FUNCTIONS = "https://kcxbrl.org/taxonomy/2026/function"
FUNCTIONS_PREFIX = "kcxf"
CFI = "http://xbrl.org/2010/custom-function"
ARC_FUNCTION_IMPLEMENTATION = "http://xbrl.org/arcrole/2010/function-implementation"
# every prefix the XPath expressions and QName contents use is declared on the linkbase root
FORMULA_NSMAP = {"link": LINK, "xlink": XLINK, "xsi": XSI, "generic": GEN, "va": VA, "variable": VARIABLE,
                 "cf": CF, "df": DF, "pf": PF, "msg": MSG, "label": LABEL_2008, "xfi": XFI, "xs": XS,
                 "cfi": CFI, FUNCTIONS_PREFIX: FUNCTIONS, PREFIX: NAMESPACE}
FORMULA_SCHEMAS = (
    (GEN, "http://www.xbrl.org/2008/generic-link.xsd"),
    (VA, "http://www.xbrl.org/2008/value-assertion.xsd"),
    (VARIABLE, "http://www.xbrl.org/2008/variable.xsd"),
    (CF, "http://www.xbrl.org/2008/concept-filter.xsd"),
    (DF, "http://www.xbrl.org/2008/dimension-filter.xsd"),
    (PF, "http://www.xbrl.org/2008/period-filter.xsd"),
    (MSG, "http://www.xbrl.org/2010/generic-message.xsd"),
    (LABEL_2008, "http://www.xbrl.org/2008/generic-label.xsd"),
    (CFI, "http://www.xbrl.org/2010/custom-function-implementation.xsd"),
)
ROLE_GENERIC_LINK = "http://www.xbrl.org/2008/role/link"
ROLE_MESSAGE = "http://www.xbrl.org/2010/role/message"
ROLE_GENERIC_LABEL = "http://www.xbrl.org/2008/role/label"
ARC_VARIABLE_SET = "http://xbrl.org/arcrole/2008/variable-set"
ARC_VARIABLE_FILTER = "http://xbrl.org/arcrole/2008/variable-filter"
ARC_UNSATISFIED_MESSAGE = "http://xbrl.org/arcrole/2010/assertion-unsatisfied-message"
ARC_ELEMENT_LABEL = "http://xbrl.org/arcrole/2008/element-label"
FORMULA_ROLE_REFS = (
    (ROLE_GENERIC_LINK, "http://www.xbrl.org/2008/generic-link.xsd#standard-link-role"),
    (ROLE_MESSAGE, "http://www.xbrl.org/2010/generic-message.xsd#standard-message"),
    (ROLE_GENERIC_LABEL, "http://www.xbrl.org/2008/generic-label.xsd#standard-label"),
)
FORMULA_ARCROLE_REFS = (
    (ARC_VARIABLE_SET, "http://www.xbrl.org/2008/variable.xsd#variable-set"),
    (ARC_VARIABLE_FILTER, "http://www.xbrl.org/2008/variable.xsd#variable-filter"),
    (ARC_UNSATISFIED_MESSAGE, "http://www.xbrl.org/2010/validation-message.xsd#assertion-unsatisfied-message"),
    (ARC_ELEMENT_LABEL, "http://www.xbrl.org/2008/generic-label.xsd#element-label"),
    (ARC_FUNCTION_IMPLEMENTATION, "http://www.xbrl.org/2010/custom-function-implementation.xsd#cfi-implementation"),
)
NOT_PRINTED_DECIMALS = 99  # stands for decimals="INF" (exact): half a unit of 10^-99 is 0

_DECIMALS = (f"for $f in $facts return (if (string(xfi:decimals($f)) eq 'INF') then {NOT_PRINTED_DECIMALS} "
             "else xs:integer(xfi:decimals($f)))")
# name -> (output type, steps (name, XPath), output XPath, what it gives); input: $facts, the
# printings of one figure (a fact variable bound as a sequence, duplicates included). Arelle
# atomizes a custom function's output, so the most precise printing is given by its position.
FUNCTION_DEFINITIONS = {
    "mostPrecise": ("xs:integer", (("decimals", _DECIMALS),),
                    "if (empty($facts)) then 0 else index-of($decimals, max($decimals))[1]",
                    "the position of the first of the most precise printings of one figure (0: none)"),
    "value": ("xs:decimal", (),
              "if (empty($facts[2])) then (if (empty($facts)) then 0 else xs:decimal($facts)) "
              f"else xs:decimal($facts[{FUNCTIONS_PREFIX}:mostPrecise($facts)])",
              "the figure's value at its most precise printing; 0 for a figure not printed"),
    "halfUnit": ("xs:decimal", (("top", f"max({_DECIMALS})"),),
                 f"if (empty($facts) or $top ge {NOT_PRINTED_DECIMALS}) then 0 "
                 "else xs:decimal(xs:double(concat('5E', string(-1 - $top))))",
                 "half a unit of the last digit of the figure's most precise printing, 0.5 x 10^-decimals "
                 "(0 for a figure not printed or exact; XPath 2.0 has no power function: the double "
                 "5E(-decimals-1) is spelled out)"),
}


def _call(function: str, facts: str) -> str:
    return f"{FUNCTIONS_PREFIX}:{function}({facts})"


def _sum_expression(assertion: ValueAssertion) -> str:
    parts = []
    for k, term in enumerate(assertion.items):
        sign = "-" if term.weight < 0 else ("+" if k else "")
        parts.append(f"{sign} ${term.name}".strip() if sign else f"${term.name}")
    return " ".join(parts)


def _message_text(assertion: ValueAssertion) -> str:
    """The message with {name} placeholders turned into XPath expressions over the variables."""
    facts = f"$_{assertion.total.name}Facts"
    total = f"{facts}[{_call('mostPrecise', facts)}]"
    special = {"context": f"string({total}/@contextRef)", "unit": f"string({total}/@unitRef)"}

    def expression(match: re.Match[str]) -> str:
        name = match.group(1)
        return "{" + special.get(name, f"${name}") + "}"

    return re.sub(r"\{([^{}]*)\}", expression, assertion.message)


def formula_variables(assertion: ValueAssertion) -> dict[str, str]:
    """The general variables of an assertion, by name, in evaluation order (XPath): each term's
    value at its most precise printing, the difference and the rounding tolerance (half a unit
    of every figure's last printed digit)."""
    variables: dict[str, str] = {}
    for term in assertion.terms:
        variables[term.name] = _call("value", f"$_{term.name}Facts")
    variables["difference"] = f"${assertion.total.name} - ({_sum_expression(assertion)})"
    variables["tolerance"] = " + ".join(_call("halfUnit", f"$_{t.name}Facts") for t in assertion.terms)
    return variables


def build_formulas(tax: Taxonomy, assertions: tuple[ValueAssertion, ...] | None = None, *,
                   functions: bool = True) -> bytes:
    """One generic link with a value assertion per entry of formulas.toml.

    Each term is a fact variable (concept filter, explicit-dimension filters, for instant terms a
    period filter on the duration term) bound as a sequence of all printings of the figure
    (@matches: duplicates included); general variables take each figure's value at its most
    precise printing, the difference and the rounding tolerance, through the custom functions
    of FUNCTION_DEFINITIONS (declared here when `functions`; an issuer's linkbase uses the
    base's); the test compares |difference| with the tolerance."""
    root = etree.Element(_q(LINK, "linkbase"), nsmap={**FORMULA_NSMAP, **tax.namespaces})
    root.set(_q(XSI, "schemaLocation"), " ".join(f"{ns} {loc}" for ns, loc in FORMULA_SCHEMAS))
    for uri, href in FORMULA_ROLE_REFS:
        etree.SubElement(root, _q(LINK, "roleRef"), {"roleURI": uri, _q(XLINK, "type"): "simple", _q(XLINK, "href"): href})
    for uri, href in FORMULA_ARCROLE_REFS:
        etree.SubElement(root, _q(LINK, "arcroleRef"), {"arcroleURI": uri, _q(XLINK, "type"): "simple", _q(XLINK, "href"): href})
    link = etree.SubElement(root, _q(GEN, "link"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): ROLE_GENERIC_LINK})
    if functions:
        for name, definition in FUNCTION_DEFINITIONS.items():
            _custom_function(link, name, *definition)
    axes = tax.axis_domains()
    for assertion in tax.assertions if assertions is None else assertions:
        _value_assertion(link, assertion, axes, tax)
    return _xml(root)


def _custom_function(link: etree._Element, name: str, output: str, steps: tuple[tuple[str, str], ...],
                     result: str, description: str) -> None:
    """A custom function's signature (one input, $facts: the printings of a figure), its
    implementation and the arc between them."""
    label = f"function_{name}"
    signature = _resource(link, _q(VARIABLE, "function"), label, name=f"{FUNCTIONS_PREFIX}:{name}", output=output)
    etree.SubElement(signature, _q(VARIABLE, "input"), type="item()*")
    signature.addprevious(etree.Comment(f" {FUNCTIONS_PREFIX}:{name}($facts): {description} "))
    implementation = _resource(link, _q(CFI, "implementation"), f"{label}_implementation")
    etree.SubElement(implementation, _q(CFI, "input"), name="facts")
    for step, expression in steps:
        etree.SubElement(implementation, _q(CFI, "step"), name=step).text = expression
    etree.SubElement(implementation, _q(CFI, "output")).text = result
    _generic_arc(link, _q(GEN, "arc"), ARC_FUNCTION_IMPLEMENTATION, label, f"{label}_implementation")


def _resource(link: etree._Element, tag: str, label: str, **attrs: str) -> etree._Element:
    return etree.SubElement(link, tag, {_q(XLINK, "type"): "resource", _q(XLINK, "label"): label, **attrs})


def _generic_arc(link: etree._Element, tag: str, arcrole: str, frm: str, to: str, **attrs: str) -> None:
    etree.SubElement(link, tag, {_q(XLINK, "type"): "arc", _q(XLINK, "arcrole"): arcrole,
                                 _q(XLINK, "from"): frm, _q(XLINK, "to"): to, **attrs})


def _value_assertion(link: etree._Element, assertion: ValueAssertion, axes: dict, tax: Taxonomy) -> None:
    aid = assertion.id
    _resource(link, _q(VA, "valueAssertion"), aid, id=aid, aspectModel="dimensional", implicitFiltering="true",
              test="abs($difference) le $tolerance")
    label = etree.SubElement(link, _q(LABEL_2008, "label"), {
        _q(XLINK, "type"): "resource", _q(XLINK, "label"): f"{aid}_label", _q(XLINK, "role"): ROLE_GENERIC_LABEL,
        "{http://www.w3.org/XML/1998/namespace}lang": "en"})
    label.text = assertion.description
    _generic_arc(link, _q(GEN, "arc"), ARC_ELEMENT_LABEL, aid, f"{aid}_label")
    message = etree.SubElement(link, _q(MSG, "message"), {
        _q(XLINK, "type"): "resource", _q(XLINK, "label"): f"{aid}_message", _q(XLINK, "role"): ROLE_MESSAGE,
        "{http://www.w3.org/XML/1998/namespace}lang": "en"})
    message.text = _message_text(assertion)
    _generic_arc(link, _q(GEN, "arc"), ARC_UNSATISFIED_MESSAGE, aid, f"{aid}_message")
    used_axes = [axis for term in assertion.terms for axis in term.members]
    used_axes = list(dict.fromkeys(used_axes))
    order = 0
    for term in assertion.terms:
        var = f"{aid}__{term.name}Facts"
        attrs = {"bindAsSequence": "false" if term.name == assertion.duration else "true"}
        if term.name != assertion.duration:
            attrs["matches"] = "true"  # the printings of one figure (duplicates) in one sequence
        if term.optional:
            attrs["fallbackValue"] = "()"
        _resource(link, _q(VARIABLE, "factVariable"), var, **attrs)
        order += 1
        _generic_arc(link, _q(VARIABLE, "variableArc"), ARC_VARIABLE_SET, aid, var, name=f"_{term.name}Facts",
                     order=str(order))
        _term_filters(link, assertion, term, var, {a: axes[a][0] for a in used_axes}, tax)
    for name, select in formula_variables(assertion).items():
        var = f"{aid}_{name}"
        _resource(link, _q(VARIABLE, "generalVariable"), var, bindAsSequence="true", select=select)
        order += 1
        _generic_arc(link, _q(VARIABLE, "variableArc"), ARC_VARIABLE_SET, aid, var, name=name, order=str(order))


def _term_filters(link: etree._Element, assertion: ValueAssertion, term: AssertionTerm, var: str,
                  defaults: dict[str, str], tax: Taxonomy) -> None:
    filters: list[tuple[str, etree._Element]] = []
    concept = etree.Element(_q(CF, "conceptName"))
    etree.SubElement(etree.SubElement(concept, _q(CF, "concept")), _q(CF, "qname")).text = tax.qname(term.concept)
    filters.append(("concept", concept))
    for axis, default in defaults.items():
        member = term.members.get(axis, default)  # no member on an axis the assertion uses: its default
        dim = etree.Element(_q(DF, "explicitDimension"))
        etree.SubElement(etree.SubElement(dim, _q(DF, "dimension")), _q(DF, "qname")).text = tax.qname(axis)
        etree.SubElement(etree.SubElement(dim, _q(DF, "member")), _q(DF, "qname")).text = tax.qname(member)
        filters.append((axis, dim))
    if term.instant:
        filters.append(("period", etree.Element(_q(PF, "instantDuration"), variable=f"_{assertion.duration}Facts",
                                                boundary=term.instant)))
    for key, element in filters:
        label = f"{var}_{key}"
        element.set(_q(XLINK, "type"), "resource")
        element.set(_q(XLINK, "label"), label)
        link.append(element)
        _generic_arc(link, _q(VARIABLE, "variableFilterArc"), ARC_VARIABLE_FILTER, var, label,
                     complement="false", cover="true")


# ---------------------------------------------------------------- an issuer's extension


LINKBASE_ROLES = {"lab": "label", "pre": "presentation", "cal": "calculation", "def": "definition"}


def issuer_file_names(tax: Taxonomy) -> dict[str, str]:
    ext = tax.extension
    assert ext is not None
    stem = ext.schema_file.removesuffix(".xsd")
    return {"schema": ext.schema_file, "lab": f"{stem}-lab.xml", "pre": f"{stem}-pre.xml", "cal": f"{stem}-cal.xml",
            "def": f"{stem}-def.xml", "for": f"{stem}-for.xml"}


def issuer_files(tax: Taxonomy) -> dict[str, bytes]:
    """The files of an issuer's extension (`tax` = the base extended): a schema in the issuer's
    namespace that imports the base one, its concepts and roles; labels of its concepts; and
    linkbases with what it adds: its roles' trees, sums and hypercubes, the concepts and sum
    items it adds to the base's roles, its members on the base's axes, its value assertions."""
    ext, base = tax.extension, tax.base
    assert ext is not None and base is not None
    names = issuer_file_names(tax)
    base_roles = {r.id: r for r in base.roles}
    own = [r for r in tax.roles if r.id not in base_roles]
    added = [(r, len(base_roles[r.id].tree)) for r in tax.roles if r.id in base_roles and len(r.tree) > len(base_roles[r.id].tree)]
    base_arcs = {(a.role.id, a.total, a.item) for a in calc_arcs(base)}
    new_arcs = [a for a in calc_arcs(tax) if (a.role.id, a.total, a.item) not in base_arcs]
    files = {
        names["lab"]: build_labels(tax, [tax.concepts[name] for name in ext.concepts], located=tax),
        names["pre"]: _issuer_presentation(tax, own, added),
        names["cal"]: _issuer_calculation(tax, new_arcs),
        names["def"]: _issuer_definition(tax, own, base_roles),
    }
    if ext.assertions:
        files[names["for"]] = build_formulas(tax, ext.assertions, functions=not base.assertions)
    files[names["schema"]] = _issuer_schema(tax, own, [name for key, name in names.items() if name in files and key != "schema"])
    return files


def _issuer_schema(tax: Taxonomy, own: list[Role], linkbases: list[str]) -> bytes:
    ext = tax.extension
    assert ext is not None
    nsmap = {"xs": XS, "xbrli": XBRLI, "link": LINK, "xlink": XLINK, "xbrldt": XBRLDT, "dtr-types": DTR,
             PREFIX: NAMESPACE, ext.prefix: ext.namespace}
    root = etree.Element(_q(XS, "schema"), nsmap=nsmap, targetNamespace=ext.namespace,
                         elementFormDefault="qualified", attributeFormDefault="unqualified")
    annotation = etree.SubElement(etree.SubElement(root, _q(XS, "annotation")), _q(XS, "appinfo"))
    for href in linkbases:
        kind = next((k for k in LINKBASE_ROLES if href.endswith(f"-{k}.xml")), None)
        attrs = {_q(XLINK, "type"): "simple", _q(XLINK, "href"): href}
        if kind:  # a generic (formula) linkbase has no xlink:role on its linkbaseRef
            attrs[_q(XLINK, "role")] = f"http://www.xbrl.org/2003/role/{LINKBASE_ROLES[kind]}LinkbaseRef"
        attrs[_q(XLINK, "arcrole")] = "http://www.w3.org/1999/xlink/properties/linkbase"
        etree.SubElement(annotation, _q(LINK, "linkbaseRef"), attrs)
    for role in own:
        rt = etree.SubElement(annotation, _q(LINK, "roleType"), roleURI=role.uri, id=f"role_{role.id}")
        etree.SubElement(rt, _q(LINK, "definition")).text = role.definition
        for used in ("link:presentationLink", "link:calculationLink", "link:definitionLink"):
            etree.SubElement(rt, _q(LINK, "usedOn")).text = used
    for ns, loc in ((XBRLI, "http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"),
                    (XBRLDT, "http://www.xbrl.org/2005/xbrldt-2005.xsd"), (DTR, DTR_URL), (NAMESPACE, SCHEMA_FILE)):
        etree.SubElement(root, _q(XS, "import"), namespace=ns, schemaLocation=loc)
    for concept in sorted(ext.concepts.values(), key=lambda c: c.name):
        etree.SubElement(root, _q(XS, "element"), _element_attributes(tax.concepts[concept.name]))
    return _xml(root)


def _issuer_presentation(tax: Taxonomy, own: list[Role], added: list[tuple[Role, int]]) -> bytes:
    root = _linkbase()
    roles = own + [role for role, _ in added]
    for role in roles:
        _role_ref(root, role, tax)
    if any(node.preferred == "negated" for role in roles for node in role.tree):
        etree.SubElement(root, _q(LINK, "roleRef"), {
            "roleURI": ROLE_NEGATED, _q(XLINK, "type"): "simple", _q(XLINK, "href"): STANDARD_ROLE_REFS[ROLE_NEGATED]})
    for role, start in [(r, 0) for r in own] + added:
        link = etree.SubElement(root, _q(LINK, "presentationLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        _presentation_tree(link, role, start, tax)
    return _xml(root)


def _issuer_calculation(tax: Taxonomy, arcs: list[CalcArc]) -> bytes:
    root = _linkbase()
    roles = list({arc.role.id: arc.role for arc in arcs}.values())
    for role in roles:
        _role_ref(root, role, tax)
    etree.SubElement(root, _q(LINK, "arcroleRef"), {
        "arcroleURI": SUMMATION_11, _q(XLINK, "type"): "simple", _q(XLINK, "href"): SUMMATION_11_XSD})
    for role in roles:
        link = etree.SubElement(root, _q(LINK, "calculationLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        mine = [a for a in arcs if a.role.id == role.id]
        for concept in dict.fromkeys([a.total for a in mine] + [a.item for a in mine]):
            _loc(link, concept, tax=tax)
        for arc in mine:
            _check_weight(tax, arc.total, arc.item, arc.weight)
            _calc_arc(link, arc)
    return _xml(root)


def _issuer_definition(tax: Taxonomy, own: list[Role], base_roles: dict[str, Role]) -> bytes:
    """The issuer's own roles' hypercubes; in the base's roles, its members on their axes and
    the numeric concepts it presents there as line items."""
    root = _linkbase()
    extended = []
    for role in tax.roles:
        base_role = base_roles.get(role.id)
        if base_role is None or role.dimensions is None:
            continue
        new_items = [c for c in _line_items(tax, role) if c not in _line_items(tax, base_role)]
        new_members = {axis: spec.members[len(base_role.dimensions.axes[axis].members):]  # type: ignore[union-attr]
                       for axis, spec in role.dimensions.axes.items()}
        if new_items or any(new_members.values()):
            extended.append((role, new_items, new_members, len(_line_items(tax, base_role)), base_role))
    roles = [r for r in own if r.dimensions] + [e[0] for e in extended]
    for role in roles:
        _role_ref(root, role, tax)
    if roles:
        _dimension_arcrole_refs(root)
    for role in roles:
        if role.dimensions is None or role.id in base_roles:
            continue
        link = etree.SubElement(root, _q(LINK, "definitionLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        _hypercube(link, tax, role, located=tax)
    for role, items, members, item_count, base_role in extended:
        dims = role.dimensions
        assert dims is not None and base_role.dimensions is not None
        link = etree.SubElement(root, _q(LINK, "definitionLink"), {_q(XLINK, "type"): "extended", _q(XLINK, "role"): role.uri})
        names = ([dims.line_items] + items if items else []) + [
            n for axis, new in members.items() if new for n in (dims.axes[axis].domain, *new)]
        for name in dict.fromkeys(names):
            _loc(link, name, tax=tax)
        for k, item in enumerate(items, start=item_count + 1):
            _arc(link, "definitionArc", DIM_ARCROLES["domain-member"], _loc_label(dims.line_items), _loc_label(item), order=str(k))
        for axis, new in members.items():
            start = len(base_role.dimensions.axes[axis].members) + 1
            for m, member in enumerate(new, start=start):
                _arc(link, "definitionArc", DIM_ARCROLES["domain-member"], _loc_label(dims.axes[axis].domain),
                     _loc_label(member), order=str(m))
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
    """The taxonomy's files by path relative to its folder (META-INF included), the issuer's
    extension's too when `tax` is the base extended; built once per taxonomy object, since
    every report package of an issuer carries the same files."""
    cached = _FILES_CACHE.get(id(tax))
    if cached is None or cached[0] is not tax:
        if tax.base is not None:
            files = {**taxonomy_files(tax.base), **issuer_files(tax)}
        else:
            files = _build_files(tax)
        cached = _FILES_CACHE[id(tax)] = (tax, files)
    return dict(cached[1])


def _build_files(tax: Taxonomy) -> dict[str, bytes]:
    return {
        SCHEMA_FILE: build_schema(tax),
        LAB: build_labels(tax),
        PRE: build_presentation(tax),
        CAL: build_calculation(tax),
        DEF: build_definition(tax),
        **({FOR: build_formulas(tax)} if tax.assertions else {}),
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

