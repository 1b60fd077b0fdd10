"""The record a markup reader returns: article text plus raw page metadata."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple


@dataclass(frozen=True)
class Extracted:
    """Text and document-level metadata found in a Markdown or HTML file.

    Metadata values are raw strings (``published`` not yet parsed, ``url`` not
    yet checked); the caller validates them. ``warnings`` are one-line notes
    about limits the reader applied (the caller logs them with the file name).
    """

    text: str
    title: Optional[str] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    warnings: Tuple[str, ...] = ()
