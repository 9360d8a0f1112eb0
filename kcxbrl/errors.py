"""Errors that end a document's build with a one-line message naming file and line."""

from __future__ import annotations


class KcxbrlError(Exception):
    """Base class: an error the CLI reports in one line, without a traceback."""


class InputError(KcxbrlError):
    """The input cannot be used: missing, empty, binary, not text, not an announcement."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")
