"""Errors that end a document's build with a one-line message naming file and line."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class KcxbrlError(Exception):
    """Base class: an error the CLI reports in one line, without a traceback."""

    def __str__(self) -> str:
        # one line whatever the message: a multi-line reason (a pydantic validation error of a
        # profile, say) is joined with "; "
        text = super().__str__()
        return "; ".join(part.strip() for part in text.splitlines() if part.strip())


class InputError(KcxbrlError):
    """The input cannot be used: missing, empty, binary, not text, not an announcement."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.message = file, line, message
        where = f"{display_name(file)}:{line}" if line else display_name(file)
        super().__init__(f"{where}: {message}")


def display_name(file: str) -> str:
    """A file name as it can be printed on one line (control characters escaped)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), file)
