"""Issuer profile: configuration for one filer (name, CIK, file number, fiscal year end)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from kcxbrl.errors import KcxbrlError
from kcxbrl.resources import profiles_dir

DEFAULT_PROFILE = "kingsoft-cloud"


class IssuerProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    cik: str
    file_number: str
    fiscal_year_end: str  # xs:gMonthDay, e.g. --12-31
    trading_symbol: str
    default_document_type: str = "6-K"
    default_scale: int = 3

    @field_validator("cik")
    @classmethod
    def _cik(cls, value: str) -> str:
        if not re.fullmatch(r"\d{10}", value):
            raise ValueError("CIK must be 10 digits")
        return value

    @field_validator("fiscal_year_end")
    @classmethod
    def _fye(cls, value: str) -> str:
        if not re.fullmatch(r"--\d\d-\d\d", value):
            raise ValueError("fiscal_year_end must look like --12-31")
        return value

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
