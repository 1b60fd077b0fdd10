"""The extraction rules, read from the data files in ``geo/postures/rules/`` and compiled once.

Python holds only the mechanism; every word list, role, cue and status row
lives in a YAML file, one concern a file:

* ``triggers.yaml``: trigger lemmas by class (withdraw, close, stay, move, arrive);
* ``forces.yaml``: force nouns by kind;
* ``actors.yaml``: organisations whose forces are named, and civilian nouns;
* ``roles.yaml``: prepositions and verb objects -> place roles, venue words, anaphora;
* ``cues.yaml``: negation, modality and aspect cues;
* ``status.yaml``: the status table.

A malformed file raises :class:`~geocore.errors.DataFileError` naming the
file and the entry. :func:`rulebook` returns the compiled rules, cached per
process; :func:`rules_digest` is a hash of the files, part of the build
cache's version.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Optional

import yaml

from geocore.errors import DataFileError

RULE_FILES = ("triggers.yaml", "forces.yaml", "actors.yaml", "roles.yaml", "cues.yaml", "status.yaml")
TRIGGER_CLASSES = ("withdraw", "close", "stay", "move", "arrive", "unaffected", "presence")
FRAME_CLASSES = TRIGGER_CLASSES
POLARITIES = ("positive", "negative", "ended")
MODALITIES = ("none", "future", "plan", "order", "agreement", "demand", "hedge", "limited", "superseded")
ASPECTS = ("none", "begun", "ongoing", "progressive", "perfect", "past", "complete", "history")
ROLES = ("site", "origin", "destination", "transit", "venue", "home", "locator")
CONTEXTS = ("none", "withdrawal")  # "withdrawal": the same side's withdrawal was reported earlier in the article
STATUSES = ("staying", "withdrawing", "withdrawn")


@dataclass(frozen=True)
class TriggerRule:
    """One trigger lemma: its class, part of speech and required particle or object."""

    id: str
    lemma: str
    pos: str  # "verb" or "noun"
    cls: str
    particles: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    force_is_object: bool = False  # "pushed the troops out": the object, not the subject, is the force


@dataclass(frozen=True)
class StatusRow:
    """One row of the status table."""

    id: str
    conditions: dict
    status: Optional[str]
    confidence: float

    def matches(self, features: dict) -> bool:
        return all(features.get(k) in allowed for k, allowed in self.conditions.items())


@dataclass
class Rulebook:
    """Every compiled rule, with lookups by lemma."""

    verbs: dict[str, list[TriggerRule]] = field(default_factory=dict)
    nouns: dict[str, list[TriggerRule]] = field(default_factory=dict)
    force_nouns: dict[str, str] = field(default_factory=dict)  # lower-case noun -> kind
    force_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)  # ("border", "guards") -> kind
    organisations: dict[str, str] = field(default_factory=dict)  # lower-case name -> actor
    civilians: frozenset = frozenset()
    max_organisation_words: int = 1
    prepositions: dict[str, str] = field(default_factory=dict)
    object_roles: dict[str, str] = field(default_factory=dict)
    recipient_to: frozenset = frozenset()
    venue_nouns: frozenset = frozenset()
    venue_verbs: frozenset = frozenset()
    site_nouns: frozenset = frozenset()
    belongings: frozenset = frozenset()
    quantity_nouns: frozenset = frozenset()
    name_prefixes: frozenset = frozenset()
    locating_verbs: frozenset = frozenset()
    support_verbs: frozenset = frozenset()
    division_nouns: frozenset = frozenset()
    directions: frozenset = frozenset()
    distance_units: frozenset = frozenset()
    anaphora: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cues: dict[str, dict[str, frozenset]] = field(default_factory=dict)
    status_rows: list[StatusRow] = field(default_factory=list)

    def is_site_noun(self, token) -> bool:
        """A noun that names a site or an area ("bases", "the town"), by lemma or by its singular."""
        low = token.lower_
        return token.lemma_.lower() in self.site_nouns or low in self.site_nouns or low.rstrip("s") in self.site_nouns

    def cue(self, feature: str, kind: str) -> frozenset:
        return self.cues.get(feature, {}).get(kind, frozenset())

    def status(self, features: dict) -> StatusRow:
        """The first status row whose conditions hold (the table ends with catch-alls)."""
        for row in self.status_rows:
            if row.matches(features):
                return row
        return StatusRow("unmatched", {}, None, 0.0)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice (YAML would silently keep the last one)."""


def _unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} is given twice",
                                                    key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _load(name: str) -> Any:
    try:
        text = resources.files("geo.postures").joinpath("rules", name).read_text(encoding="utf-8")
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"geo/postures/rules/{name}: cannot read the rules: {exc}") from exc


def _fail(name: str, what: str) -> DataFileError:
    return DataFileError(f"geo/postures/rules/{name}: {what}; fix the entry (see the comments at the top of the file)")


def _words(name: str, value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(name, f"{where} must be a list of words")
    return tuple(v.strip().lower() for v in value)


def _triggers(book: Rulebook, data: Any) -> None:
    if not isinstance(data, dict):
        raise _fail("triggers.yaml", "expected a mapping of classes")
    for cls, parts in data.items():
        if cls not in TRIGGER_CLASSES or not isinstance(parts, dict):
            raise _fail("triggers.yaml", f"unknown class {cls!r} (use {', '.join(TRIGGER_CLASSES)})")
        for pos, table in (("verb", book.verbs), ("noun", book.nouns)):
            for entry in parts.get(pos + "s") or []:
                if isinstance(entry, str):
                    entry = {"lemma": entry}
                if not isinstance(entry, dict) or not isinstance(entry.get("lemma"), str):
                    raise _fail("triggers.yaml", f"{cls}.{pos}s: entry {entry!r} needs a lemma")
                lemma = entry["lemma"].strip().lower()
                particles = _words("triggers.yaml", entry.get("particle"), f"{cls}.{lemma}.particle")
                objects = _words("triggers.yaml", entry.get("object"), f"{cls}.{lemma}.object")
                subjects = _words("triggers.yaml", entry.get("subject"), f"{cls}.{lemma}.subject")
                rid = f"trigger.{cls}.{lemma}" + (f".{particles[0]}" if particles else "")
                force = entry.get("force", "subject")
                if force not in ("subject", "object"):
                    raise _fail("triggers.yaml", f"{cls}.{lemma}.force must be 'subject' or 'object'")
                table.setdefault(lemma, []).append(
                    TriggerRule(rid, lemma, pos, cls, particles, objects, subjects, force == "object"))


def _forces(book: Rulebook, data: Any) -> None:
    if not isinstance(data, dict):
        raise _fail("forces.yaml", "expected a mapping of force kinds")
    for kind, nouns in data.items():
        for noun in _words("forces.yaml", nouns, str(kind)):
            words = tuple(noun.split())
            if len(words) == 1:
                book.force_nouns.setdefault(words[0], kind)
            else:
                book.force_phrases.setdefault(words, kind)


def _actors(book: Rulebook, data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("organisations"), dict):
        raise _fail("actors.yaml", "expected 'organisations:' mapping names to actors")
    for name, actor in data["organisations"].items():
        if not isinstance(actor, str) or not actor.strip():
            raise _fail("actors.yaml", f"organisation {name!r} needs an actor name")
        book.organisations[str(name).lower()] = actor.strip()
        book.max_organisation_words = max(book.max_organisation_words, len(str(name).split()))
    book.civilians = frozenset(_words("actors.yaml", data.get("civilians"), "civilians"))


def _roles(book: Rulebook, data: Any) -> None:
    if not isinstance(data, dict):
        raise _fail("roles.yaml", "expected a mapping")
    for prep, role in (data.get("prepositions") or {}).items():
        if role not in ROLES:
            raise _fail("roles.yaml", f"preposition {prep!r}: unknown role {role!r}")
        book.prepositions[str(prep).lower()] = role
    for cls, role in (data.get("objects") or {}).items():
        if cls not in TRIGGER_CLASSES or role not in ROLES:
            raise _fail("roles.yaml", f"objects: {cls!r}: {role!r} is not a class and a role")
        book.object_roles[cls] = role
    book.recipient_to = frozenset(_words("roles.yaml", data.get("recipient_to"), "recipient_to"))
    book.venue_nouns = frozenset(_words("roles.yaml", data.get("venue_nouns"), "venue_nouns"))
    book.venue_verbs = frozenset(_words("roles.yaml", data.get("venue_verbs"), "venue_verbs"))
    book.site_nouns = frozenset(_words("roles.yaml", data.get("site_nouns"), "site_nouns"))
    book.belongings = frozenset(_words("roles.yaml", data.get("belongings"), "belongings"))
    book.quantity_nouns = frozenset(_words("roles.yaml", data.get("quantity_nouns"), "quantity_nouns"))
    book.name_prefixes = frozenset(_words("roles.yaml", data.get("name_prefixes"), "name_prefixes"))
    book.locating_verbs = frozenset(_words("roles.yaml", data.get("locating_verbs"), "locating_verbs"))
    book.support_verbs = frozenset(_words("roles.yaml", data.get("support_verbs"), "support_verbs"))
    book.division_nouns = frozenset(_words("roles.yaml", data.get("division_nouns"), "division_nouns"))
    book.directions = frozenset(_words("roles.yaml", data.get("directions"), "directions"))
    book.distance_units = frozenset(_words("roles.yaml", data.get("distance_units"), "distance_units"))
    for word, kinds in (data.get("anaphora") or {}).items():
        book.anaphora[str(word).lower()] = _words("roles.yaml", kinds, f"anaphora.{word}")


def _cues(book: Rulebook, data: Any) -> None:
    if not isinstance(data, dict):
        raise _fail("cues.yaml", "expected a mapping")
    for feature, kinds in data.items():
        if not isinstance(kinds, dict):
            raise _fail("cues.yaml", f"{feature!r} must map kinds to word lists")
        book.cues[feature] = {k: frozenset(_words("cues.yaml", v, f"{feature}.{k}")) for k, v in kinds.items()}


_ALLOWED = {"class": FRAME_CLASSES, "polarity": POLARITIES, "modality": MODALITIES, "aspect": ASPECTS, "role": ROLES,
            "context": CONTEXTS, "feature": ("point", "area", "country")}


def _status(book: Rulebook, data: Any) -> None:
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise _fail("status.yaml", "expected 'rows:' with a list of rows")
    seen = set()
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or row["id"] in seen:
            raise _fail("status.yaml", f"row {row!r} needs a unique id")
        seen.add(row["id"])
        status = row.get("status")
        if status is not None and status not in STATUSES:
            raise _fail("status.yaml", f"row {row['id']}: unknown status {status!r}")
        conditions = {}
        for key, allowed in _ALLOWED.items():
            if key in row:
                values = _words("status.yaml", row[key], f"{row['id']}.{key}")
                bad = [v for v in values if v not in allowed]
                if bad:
                    raise _fail("status.yaml", f"row {row['id']}: {key} {bad} not among {', '.join(allowed)}")
                conditions[key] = frozenset(values)
        confidence = row.get("confidence", 0.0 if status is None else 0.5)
        if not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            raise _fail("status.yaml", f"row {row['id']}: confidence must be a number from 0 to 1")
        book.status_rows.append(StatusRow(f"status.{row['id']}", conditions, status, float(confidence)))


@functools.lru_cache(maxsize=1)
def rulebook() -> Rulebook:
    """The compiled rules (read once per process)."""
    book = Rulebook()
    _triggers(book, _load("triggers.yaml"))
    _forces(book, _load("forces.yaml"))
    _actors(book, _load("actors.yaml"))
    _roles(book, _load("roles.yaml"))
    _cues(book, _load("cues.yaml"))
    _status(book, _load("status.yaml"))
    return book


def rules_digest() -> str:
    """sha256 over the rule files, so a changed word invalidates cached reports."""
    h = hashlib.sha256()
    for name in RULE_FILES:
        h.update(name.encode() + b"\0")
        h.update(resources.files("geo.postures").joinpath("rules", name).read_bytes())
    return h.hexdigest()[:16]
