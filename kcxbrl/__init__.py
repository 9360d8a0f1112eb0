"""kcxbrl: results announcements (plain text) to validated Inline XBRL report packages."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kcxbrl")
except PackageNotFoundError:  # run from a checkout that is not installed
    __version__ = "unknown"
