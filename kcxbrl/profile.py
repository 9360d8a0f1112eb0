"""Issuer profiles: one filer's identity (what its documents may not say: CIK, file number,
fiscal year end) and its own part of the taxonomy (members, non-GAAP measures, the labels it
prints them with), one TOML file per issuer in kcxbrl/profiles/ (or given by path).

A document whose issuer has no profile is built with the identity it states itself
(`stated_profile`): its name, ticker and whatever identifiers it prints, and nothing of
another issuer's.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kcxbrl.dts import Extension, Taxonomy, default_taxonomy, extend, load_extension
from kcxbrl.errors import KcxbrlError
from kcxbrl.resources import profiles_dir

SEC_CIK_SCHEME = "http://www.sec.gov/CIK"
# The entity identifier of an issuer whose CIK no profile and no document gives: its ticker or
# its name, under a scheme of our own (never another issuer's CIK, never a made-up one).
STATED_ENTITY_SCHEME = "https://kcxbrl.org/entity"
# the name of a registrant the document does not name: no two such reports are one issuer's
UNKNOWN_REGISTRANT = "Unknown registrant"


class IssuerProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = ""  # the profile file's stem; "" for an identity a document states
    name: str
    names: tuple[str, ...] = ()  # other names its documents print ("Kingsoft Cloud")
    cik: str | None = Field(None, pattern=r"^\d{10}$")
    file_number: str | None = None
    fiscal_year_end: str = Field("--12-31", pattern=r"^--\d\d-\d\d$")  # xs:gMonthDay, e.g. --12-31
    trading_symbol: str | None = None
    stock_codes: tuple[str, ...] = ()  # other listings (HKEX: 3896)
    default_document_type: str = "6-K"
    default_scale: int = 3
    # the currency of columns that name none, where neither their header, figures nor caption
    # does; None: the one currency the document names, if it names one
    reporting_currency: Literal["CNY", "USD"] | None = None
    extension: Extension | None = None  # its own part of the taxonomy ([taxonomy] in the file)
    taxonomy: Taxonomy  # the base taxonomy, extended by `extension`

    @property
    def fiscal_year_end_month_day(self) -> tuple[int, int]:
        return int(self.fiscal_year_end[2:4]), int(self.fiscal_year_end[5:7])

    @property
    def entity_identifier(self) -> tuple[str, str]:
        """(scheme, identifier) of the report's contexts."""
        if self.cik:
            return SEC_CIK_SCHEME, self.cik
        return STATED_ENTITY_SCHEME, self.trading_symbol or _slug(self.name)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)


def unknown_entity(entity: str) -> bool:
    """An xBRL-JSON entity ("prefix:identifier") of a registrant no document named."""
    return entity.rsplit(":", 1)[-1] == _slug(UNKNOWN_REGISTRANT)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"


def load_profile(name_or_path: str, base: Taxonomy | None = None) -> IssuerProfile:
    """A bundled profile by name (kingsoft-cloud) or a profile file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = profiles_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise KcxbrlError(f"{name_or_path}: issuer profile not found")
    base = base or default_taxonomy()
    key = (path.resolve(), id(base))
    cached = _LOADED.get(key)
    if cached is None or cached[0] is not base:  # an extended taxonomy is worked out once per profile
        cached = _LOADED[key] = (base, _load(path.resolve(), base))
    return cached[1]


_LOADED: dict[tuple[Path, int], tuple[Taxonomy, IssuerProfile]] = {}


def _load(path: Path, base: Taxonomy) -> IssuerProfile:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        raw_taxonomy = raw.pop("taxonomy", None)
        extension = load_extension(raw_taxonomy, base) if raw_taxonomy is not None else None
        taxonomy = extend(base, extension) if extension is not None else base
        return IssuerProfile(id=path.stem, extension=extension, taxonomy=taxonomy, **raw)
    except (tomllib.TOMLDecodeError, ValueError, TypeError, KeyError) as exc:
        raise KcxbrlError(f"{path.name}: invalid issuer profile: {exc}") from None


def bundled_profiles(base: Taxonomy | None = None) -> list[IssuerProfile]:
    return [load_profile(str(path), base) for path in sorted(profiles_dir().glob("*.toml"))]


def stated_profile(name: str, base: Taxonomy | None = None, *, cik: str | None = None,
                   file_number: str | None = None, trading_symbol: str | None = None,
                   stock_codes: tuple[str, ...] = (), fiscal_year_end: str | None = None) -> IssuerProfile:
    """The identity a document states, as a profile of the base taxonomy alone."""
    return IssuerProfile(name=name, cik=cik, file_number=file_number, trading_symbol=trading_symbol,
                         stock_codes=stock_codes, taxonomy=base or default_taxonomy(),
                         **({"fiscal_year_end": fiscal_year_end} if fiscal_year_end else {}))
