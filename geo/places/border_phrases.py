"""Border phrases: spans that name the border line between two countries.

"X's borders with Y and Z", "the Armenia-Azerbaijan border",
"the border between X and Y", "the Turkish border". The patterns alternate over
every country name, code and demonym, so they run only in windows around the
words border, frontier and boundary. A phrase that names one side only takes
the other from the article (:meth:`BorderPhrases.owner`).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi
from gazetteer.normalize import fold_cached as fold

from geo.places.spotting import Span

_BORDER_WORD = re.compile(r"border|frontier|boundary")  # case-sensitive, like the border patterns


def DEMONYMS_FLAT(demonyms: dict) -> list[str]:
    """Every demonym of an ISO code -> demonym(s) mapping, as one list."""
    out = []
    for v in demonyms.values():
        out.extend([v] if isinstance(v, str) else list(v))
    return out


def country_names(g: "_gi.Gazetteer") -> dict[str, str]:
    """Country names as written (and codes such as "US", "UAE") -> ISO code."""
    names: dict[str, str] = {}
    for iso, row in g.country_rows.items():
        p = g.place(row)
        for n in (p.name, *p.aliases):
            if len(n) > 3 and "," not in n:
                names[n] = iso
    for code, v in g.data.by_exact.items():  # "US", "UK", "UAE": written as codes in border phrases
        for r in ((v,) if isinstance(v, int) else v):
            if g.feature_type(r) == "country" and code.isalpha() and code.isupper():
                names[code] = g.data.countries[r]
    return names


class BorderPhrases:
    """Find border phrases and resolve them to the gazetteer's border lines.

    Parameters
    ----------
    g : Gazetteer
    names : dict
        Country names as written -> ISO code (:func:`country_names`).
    demonym_forms : dict
        ISO code -> demonym or demonyms as written (``gazetteer.borders.DEMONYMS``).
    country_by_name, demonyms : dict
        Folded country name / demonym -> ISO code.
    """

    def __init__(self, g: "_gi.Gazetteer", names: dict[str, str], demonym_forms: dict,
                 country_by_name: dict[str, str], demonyms: dict[str, str]):
        self.g = g
        self.country_by_name = country_by_name
        self.demonyms = demonyms
        alts = sorted(set(names) | {a for a in DEMONYMS_FLAT(demonym_forms)}, key=lambda s: (-len(s), s))
        # The lookahead on the names' first letters lets the regex engine skip
        # every other position fast (same matches, ~4x faster border search).
        firsts = "".join(re.escape(ch) for ch in sorted({a[0] for a in alts}))
        c = f"(?=[{firsts}])(?:" + "|".join(re.escape(a) for a in alts) + ")"
        # "border guards", "border posts" are forces, not the border line itself.
        b = r"(?:border|frontier|boundary)(?!s?\s+(?:guards?|posts?|police|service|troops|forces|officers|crossings?|checkpoints?|control|agency|patrols?|units?))"
        self._patterns = [
            re.compile(rf"\b(?P<a>{c})\s*[-–—/]\s*(?P<b>{c})\s+(?:state\s+|land\s+)?{b}s?\b"),
            re.compile(rf"\b{b}s?\s+between\s+(?P<a>{c})\s+and\s+(?P<b>{c})\b"),
            re.compile(rf"\b(?P<a>{c})(?:['’]s)?\s+(?:\w+\s+){{0,2}}?{b}s?\s+with\s+(?P<list>{c}(?:\s*,\s*{c})*(?:\s*,?\s*(?:and|or)\s+{c})?)"),
            re.compile(rf"\b{b}s?\s+with\s+(?P<list>{c}(?:\s*,\s*{c})*(?:\s*,?\s*(?:and|or)\s+{c})?)"),
            re.compile(rf"\bthe\s+(?P<list>{c})\s+{b}\b"),
        ]
        self._country_alt = re.compile(c)
        self._owner_memo: tuple = (None, None)

    def find(self, text: str, focus: Counter, spans: list[Span]) -> list[Span]:
        """Border spans of ``text``, each already resolved to its border line."""
        out: list[Span] = []
        taken: list[tuple[int, int, str]] = []
        if not _BORDER_WORD.search(text):
            return out  # every border pattern needs one of these words
        # The patterns alternate over ~500 country names: run them only near the
        # border words, on merged windows (offsets stay those of the whole text).
        windows: list[list[int]] = []
        for w in _BORDER_WORD.finditer(text):
            a, b = max(0, w.start() - 200), min(len(text), w.end() + 300)
            if windows and a <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], b)
            else:
                windows.append([a, b])
        matches = [m for pat in self._patterns for a, b in windows for m in pat.finditer(text, a, b)]
        for m in matches:
            gd = m.groupdict()
            if gd.get("a") and gd.get("b"):
                pairs = [(self.iso(gd["a"]), self.iso(gd["b"]))]
            else:
                owner = self.iso(gd["a"]) if gd.get("a") else None
                others = [self.iso(x) for x in self._country_alt.findall(gd["list"])]
                if owner is None:
                    owner = self.owner(text, m.start(), focus, others)
                pairs = [(owner, o) for o in others]
            for a, b in pairs:
                if not a or not b or a == b:
                    continue
                place = self.g.border(a, b)
                if place is None or any(pid == place.place_id and s < m.end() and m.start() < e for s, e, pid in taken):
                    continue
                taken.append((m.start(), m.end(), place.place_id))
                row = self.g.row_of(place.place_id)
                out.append(Span(m.start(), m.end(), m.group(0), (row,), "border", chosen=row, score=9.0))
        return out

    def iso(self, name: str) -> Optional[str]:
        """ISO code of a country name or demonym as written."""
        k = fold(name)
        return self.country_by_name.get(k) or self.demonyms.get(k)

    def owner(self, text: str, pos: int, focus: Counter, others: list) -> Optional[str]:
        """Whose border "borders with Azerbaijan" is: the most-named country of
        the article that neighbours every country in ``others`` (names count
        more than demonyms, which mostly name the force's side)."""
        if self._owner_memo[0] is text:
            weight = self._owner_memo[1]
        else:
            weight = self._owner_weights(text)
            self._owner_memo = (text, weight)
        for iso, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0])):
            if iso not in others and all(self.g.border(iso, o) for o in others if o):
                return iso
        return None

    def _owner_weights(self, text: str) -> Counter:
        weight: Counter = Counter()
        for m in self._country_alt.finditer(text):
            iso = self.iso(m.group(0))
            if iso:
                is_name = fold(m.group(0)) in self.country_by_name
                weight[iso] += 1.0 if is_name else 0.5
                if re.match(r"['’]s\s+(?:\w+\s+)?(?:border|frontier)", text[m.end():m.end() + 30]):
                    weight[iso] += 3.0  # "Armenia's borders ...": the article frames whose borders they are
        return weight
