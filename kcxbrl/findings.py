"""What every stage shares: the frozen base of the stage models, where a thing stands in the
input (SourceRef), and what a stage noticed there (Finding).

Every model is frozen: a stage never edits what an earlier stage produced.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SourceRef(Frozen):
    """Where something stands in the input: file name, 1-based line and column."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Finding(Frozen):
    """Something the filer should know: unmapped rows, misaligned rows, source errors."""

    severity: Literal["error", "warning", "info"]
    code: str
    message: str
    ref: SourceRef
    facts: tuple[str, ...] = ()  # ids of the facts involved (to trace Arelle's messages to this finding)
    refs: tuple[SourceRef, ...] = ()  # the other places involved: a sum's items, the figure it contradicts
