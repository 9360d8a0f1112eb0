"""Issuer profile: configuration for one filer (name, CIK, file number, fiscal year end)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from kcxbrl.errors import KcxbrlError
from kcxbrl.resources import profiles_dir

DEFAULT_PROFILE = "kingsoft-cloud"


class IssuerProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    cik: str = Field(pattern=r"^\d{10}$")
    file_number: str
    fiscal_year_end: str = Field(pattern=r"^--\d\d-\d\d$")  # xs:gMonthDay, e.g. --12-31
    trading_symbol: str
    default_document_type: str = "6-K"
    default_scale: int = 3

    @property
    def fiscal_year_end_month_day(self) -> tuple[int, int]:
        return int(self.fiscal_year_end[2:4]), int(self.fiscal_year_end[5:7])


def load_profile(name_or_path: str = DEFAULT_PROFILE) -> IssuerProfile:
    path = Path(name_or_path)
    if not path.suffix:
        path = profiles_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise KcxbrlError(f"{name_or_path}: issuer profile not found")
    try:
        with open(path, "rb") as fh:
            return IssuerProfile(**tomllib.load(fh))
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise KcxbrlError(f"{path.name}: invalid issuer profile: {exc}") from None
