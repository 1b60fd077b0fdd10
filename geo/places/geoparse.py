"""Find place names in text, resolve them to gazetteer places, decide literalness.

The geoparser is rule-based and runs offline on a CPU:

1. **Spotting.** Capitalised token runs are matched, longest first, against the
   folded names of the gazetteer (GeoNames, airports, countries, curated sites).
   Border phrases ("Armenia's borders with Turkey and Iran", "the
   Armenia-Azerbaijan border", "the Turkish border") are parsed first.
2. **Disambiguation.** Each candidate is scored by feature class, the article's
   focus countries (countries named or implied by demonyms), an adjacent
   country ("Gyumri, Armenia") and population as a fallback prior. A small place
   outside every focus country is *abstained on*, never guessed.
3. **Literalness.** A country or capital used as an actor ("Moscow said", "Baku
   insisted", "at the request of Yerevan", "Russia's base"), a government seat
   ("the Kremlin"), a demonym ("the Armenian side") or a dateline is marked
   ``literal=False``; only literal mentions can become postures.

Examples
--------
>>> from geo.places.geoparse import Geoparser          # doctest: +SKIP
>>> [m.name for m in Geoparser().parse("Troops left Gyumri, Armenia.")]  # doctest: +SKIP
['Gyumri', 'Armenia']
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional, Sequence

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places.geoparse does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi
from gazetteer.normalize import fold_cached as fold

from gazetteer.common_words import STOP_WORDS
from geo.places.cues import ACTOR_VERBS, AGENT_OF_NOUNS
from geocore.records import Mention

_TOKEN = re.compile(r"[^\W_]+")
# A token that may start a name: ASCII capital or digit, or any non-ASCII letter (checked with isupper()).
_NAME_START = re.compile(r"(?<![^\W_])(?:[A-Z0-9]|(?=[^\x00-\x7f])[^\W_])[^\W_]*")
_GAP_OK = re.compile(r"[ \t\-–'’.]{0,3}\n?")  # hard-wrapped text: one line break may split a name
_BORDER_WORD = re.compile(r"border|frontier|boundary")  # case-sensitive, like the border patterns
# Article tokens repeat a lot ("the", "said"): fold each distinct one once.
_fold_token = functools.lru_cache(maxsize=1 << 16)(fold)
MAX_SPAN = 6
# Context patterns run for every place name, compiled once.
_GOVERNED = re.compile(r"\b(?:in|at|near|from|into|to|inside|outside|around)\s+(?:the\s+)?$", re.I)
_OWNER_S = re.compile(r"['’]s\b")
_SAID = re.compile(r"\s+(said|says|told|insisted|announced|denied|confirmed)\b")
_COMMA_COUNTRY = re.compile(r",\s*((?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|of|and|the)){0,4})")
_COMMA_REGION = re.compile(r",\s*([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})")
_UNKNOWN_NAME = re.compile(r"\b(?:in|at|near|outside|from|to|into|towards|around)\s+(?:the\s+)?"
                           r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})")
_ORG_AFTER = re.compile(r"\s+(?:river|sea|mountains?|lake|valley|gulf|strait|news|agency|newspaper|times|post|daily|herald|tribune|television|tv|radio|"
                        r"university|club|fc|party|group|company|airlines|bank|institute|foundation|press)\b", re.I)
MIN_SCORE = 1.5

# Seats of government whose names stand for the government itself.
GOVERNMENT_SEATS = {
    "kremlin": "RU", "white house": "US", "pentagon": "US", "elysee": "FR", "elysee palace": "FR",
    "downing street": "GB", "whitehall": "GB", "zhongnanhai": "CN", "bankova": "UA", "foggy bottom": "US",
    "quai d orsay": "FR", "blue house": "KR", "knesset": "IL",
}


@dataclass
class _Span:
    start: int
    end: int
    text: str
    rows: tuple[int, ...]
    kind: str = "name"  # name | demonym | seat | border
    chosen: Optional[int] = None
    literal: bool = True
    score: float = 0.0
    own: Optional[tuple[str, float]] = None  # this span's own weight in the focus counter


class Geoparser:
    """Spot, resolve and classify place mentions.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Injected for tests; the cached default index is loaded otherwise.
    """

    def __init__(self, gazetteer: Optional["_gi.Gazetteer"] = None, fallback=None):
        self.g = gazetteer or _gi.Gazetteer.load()
        # Optional resolver for names the offline index lacks (the online geocoder):
        # ``fallback(name, focus) -> Place | None``. Off unless injected.
        self.fallback = fallback
        from gazetteer.borders import DEMONYMS

        self.demonyms: dict[str, str] = {}
        for iso, adj in DEMONYMS.items():
            for a in ([adj] if isinstance(adj, str) else adj):
                self.demonyms[fold(a)] = iso
        self.capital_rows = self.g.data.capitals
        self._seat_words = {k.split()[0] for k in GOVERNMENT_SEATS}
        if not self.g.data.max_words:
            self.g.data.finish()  # an index built in code (tests) gets its lookup aids here
        names: dict[str, str] = {}
        for iso, row in self.g.country_rows.items():
            p = self.g.place(row)
            for n in (p.name, *p.aliases):
                if len(n) > 3 and "," not in n:
                    names[n] = iso
        for code, v in self.g.data.by_exact.items():  # "US", "UK", "UAE": written as codes in border phrases
            for r in ((v,) if isinstance(v, int) else v):
                if self.g.feature_type(r) == "country" and code.isalpha() and code.isupper():
                    names[code] = self.g.data.countries[r]
        self.country_by_name = {fold(n): iso for n, iso in names.items()}
        alts = sorted(set(names) | {a for a in DEMONYMS_FLAT(DEMONYMS)}, key=lambda s: (-len(s), s))
        # The lookahead on the names' first letters lets the regex engine skip
        # every other position fast (same matches, ~4x faster border search).
        firsts = "".join(re.escape(ch) for ch in sorted({a[0] for a in alts}))
        c = f"(?=[{firsts}])(?:" + "|".join(re.escape(a) for a in alts) + ")"
        # "border guards", "border posts" are forces, not the border line itself.
        b = r"(?:border|frontier|boundary)(?!s?\s+(?:guards?|posts?|police|service|troops|forces|officers|crossings?|checkpoints?|control|agency|patrols?|units?))"
        self._border_patterns = [
            re.compile(rf"\b(?P<a>{c})\s*[-–—/]\s*(?P<b>{c})\s+(?:state\s+|land\s+)?{b}s?\b"),
            re.compile(rf"\b{b}s?\s+between\s+(?P<a>{c})\s+and\s+(?P<b>{c})\b"),
            re.compile(rf"\b(?P<a>{c})(?:['’]s)?\s+(?:\w+\s+){{0,2}}?{b}s?\s+with\s+(?P<list>{c}(?:\s*,\s*{c})*(?:\s*,?\s*(?:and|or)\s+{c})?)"),
            re.compile(rf"\b{b}s?\s+with\s+(?P<list>{c}(?:\s*,\s*{c})*(?:\s*,?\s*(?:and|or)\s+{c})?)"),
            re.compile(rf"\bthe\s+(?P<list>{c})\s+{b}\b"),
        ]
        self._country_alt = re.compile(c)
        self._owner_memo: tuple = (None, None)

    # ------------------------------------------------------------------ API
    def parse(self, text: str) -> list[Mention]:
        """All place mentions in ``text``, resolved and classified, in text order."""
        spans = self._spot(text)
        focus = self._focus(text, spans)
        spans += self._borders(text, focus, spans)
        spans = _drop_overlaps(spans)
        if self.fallback is not None:
            spans = _drop_overlaps(spans + self._unknown(text, spans, focus))
        for k, s in enumerate(spans):
            if s.kind not in ("border", "online"):
                self._choose(text, s, focus, spans, prev=spans[k - 1] if k else None)
        self._literalness(text, spans)
        out = [self._mention(s) for s in spans if s.chosen is not None]
        return sorted(out, key=lambda m: (m.start, m.end, m.place_id))

    def resolve(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Optional[Mention]]:
        """Resolve given character spans (for scoring on toponym corpora).

        Never abstains for lack of context (a corpus span is known to be a
        place); returns None only when no reading of the span is in the index.
        Tries the span as written, then without "the"/possessive "'s", as a
        demonym ("Syrian" -> Syria), then its longest known sub-name.
        """
        found = self._spot(text)
        focus = self._focus(text, found)
        out: list[Optional[Mention]] = []
        for start, end in spans:
            s = self._span_for(text, start, end)
            if s is not None:
                self._choose(text, s, focus, found, strict=False)
            out.append(self._mention(s) if s is not None and s.chosen is not None else None)
        return out

    def _span_for(self, text: str, start: int, end: int) -> Optional[_Span]:
        surface = text[start:end]
        clean = re.sub(r"^(?:the|The|THE)\s+|['’]s$", "", surface.strip())
        for cand in (surface, clean):
            rows = self.g.rows(fold(cand)) or self.g.exact_rows(cand)
            if rows:
                return _Span(start, end, surface, tuple(rows))
        iso = self.demonyms.get(fold(clean))
        if iso and iso in self.g.country_rows:
            row = self.g.country_rows[iso]
            return _Span(start, end, surface, (row,), chosen=row, score=3.0)
        words = clean.split()
        for n in range(len(words) - 1, 0, -1):
            for i in range(0, len(words) - n + 1):
                rows = self.g.rows(fold(" ".join(words[i:i + n])))
                if rows:
                    return _Span(start, end, surface, tuple(rows))
        return None

    # ------------------------------------------------------------- spotting
    def _spot(self, text: str) -> list[_Span]:
        spans: list[_Span] = []
        max_words = self.g.data.max_words
        max_words2 = self.g.data.max_words2
        resume = 0
        # Names start with a capital or a digit: only those tokens, and the few
        # words after them a name could cover, are folded and looked up.
        for cand in _NAME_START.finditer(text):
            a, b = cand.span()
            if a < resume:
                continue  # inside the name found last
            first = text[a]
            if not (first.isupper() or first.isdigit()):
                continue  # a non-ASCII token that is not a capital
            first_word = _fold_token(text[a:b])
            hit = None
            words = max_words.get(first_word, 0) if max_words else MAX_SPAN
            if first_word in self._seat_words:
                words = max(words, 3)
            if words == 0 and first_word not in self.demonyms and b - a > 6:
                continue  # no name starts with this word, and it is too long to be a code
            want = min(max(words, 1), MAX_SPAN)
            toks = [(a, b)]  # this token and the next ones (one more for the person test)
            for m in _TOKEN.finditer(text, b):
                toks.append(m.span())
                if len(toks) > want:
                    break
            top = min(len(toks), want)
            if top >= 3 and max_words2 and first_word not in self._seat_words:
                # No name of 3+ words starts with these two words: skip the longer spans,
                # but keep short ones, which may still be codes ("U.S.A").
                second = _fold_token(text[toks[1][0]:toks[1][1]])
                if " " not in first_word and " " not in second:
                    cap = max_words2.get(f"{first_word} {second}", 2)
                    while top > cap and toks[top - 1][1] - a > 8:
                        top -= 1
            folded = [first_word] + [_fold_token(text[x:y]) for x, y in toks[1:top]]
            gap_ok = [_GAP_OK.fullmatch(text, toks[k][1], toks[k + 1][0]) is not None for k in range(top - 1)]
            for j in range(top, 0, -1):
                if not all(gap_ok[:j - 1]):
                    continue
                key = " ".join(folded[:j])
                surface = text[a:toks[j - 1][1]]
                if key in GOVERNMENT_SEATS:
                    hit = (j, "seat", ())
                    break
                if j == 1 and key in self.demonyms and not self._major_name(key):
                    hit = (j, "demonym", ())  # "German" is the adjective, not San Germán
                    break
                exact = (self.g.exact_rows(surface) or self.g.exact_rows(surface + ".")) if len(surface) <= 7 else ()
                if exact:
                    hit = (j, "name", exact)
                    break
                if surface.isupper() and len(surface.replace(".", "")) <= 4:
                    continue  # an acronym ("UN", "EPA") is not a place unless it is a known code
                rows = self.g.rows(key)
                if rows:
                    if j == 1 and _is_common_word(key, text, a) \
                            and not _adjacent_country(text, toks[j - 1][1], self.country_by_name):
                        break  # an ordinary word, unless qualified like a place ("Nice, France")
                    if j == 1 and _looks_like_person(text, toks, j, self.g, rows):
                        break
                    hit = (j, "name", rows)
                    break
            if hit is None:
                continue
            j, kind, rows = hit
            end = toks[j - 1][1]
            if text[end:end + 1] == "." and self.g.exact_rows(text[a:end + 1]):
                end += 1  # "U.S." keeps its final period
            spans.append(_Span(a, end, text[a:end], tuple(rows), kind))
            resume = toks[j - 1][1]
        return spans

    def _focus(self, text: str, spans: list[_Span]) -> Counter:
        """Countries the article is about, weighted by how often they come up.

        Each span's own contribution is kept in ``span.score`` so that scoring
        a name never counts the name itself as its context.
        """
        focus: Counter = Counter()
        for s in spans:
            key = fold(s.text)
            iso, w = None, 0.0
            if s.kind == "demonym":
                iso, w = self.demonyms[key], 1.0
            elif s.kind == "seat":
                iso, w = GOVERNMENT_SEATS[key], 0.5
            else:
                countries = [r for r in s.rows if self.g.feature_type(r) == "country"]
                if countries:
                    # An ambiguous name ("Georgia", "Armenia") says less about the article.
                    iso, w = self.g.data.countries[countries[0]], (2.0 if len(s.rows) == 1 else 0.5)
                elif len(s.rows) == 1 and (s.rows[0] in self.g.data.curated or self.g.data.pops[s.rows[0]] >= 100_000):
                    iso, w = self.g.data.countries[s.rows[0]], 0.5
            if iso:
                focus[iso] += w
                s.own = (iso, w)
        return focus

    def _borders(self, text: str, focus: Counter, spans: list[_Span]) -> list[_Span]:
        out: list[_Span] = []
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
        matches = [m for pat in self._border_patterns for a, b in windows for m in pat.finditer(text, a, b)]
        for m in matches:
            gd = m.groupdict()
            if gd.get("a") and gd.get("b"):
                pairs = [(self._iso(gd["a"]), self._iso(gd["b"]))]
            else:
                owner = self._iso(gd["a"]) if gd.get("a") else None
                others = [self._iso(x) for x in self._country_alt.findall(gd["list"])]
                if owner is None:
                    owner = self._owner(text, m.start(), focus, others)
                pairs = [(owner, o) for o in others]
            for a, b in pairs:
                if not a or not b or a == b:
                    continue
                place = self.g.border(a, b)
                if place is None or any(pid == place.place_id and s < m.end() and m.start() < e for s, e, pid in taken):
                    continue
                taken.append((m.start(), m.end(), place.place_id))
                row = self.g.row_of(place.place_id)
                out.append(_Span(m.start(), m.end(), m.group(0), (row,), "border", chosen=row, score=9.0))
        return out

    def _unknown(self, text: str, spans: list[_Span], focus: Counter) -> list[_Span]:
        """Capitalised names after a place preposition that the index lacks, via the fallback."""
        out, asked = [], {}
        for m in _UNKNOWN_NAME.finditer(text):
            a, b = m.span("name")
            surface = m.group("name")
            if any(s.start < b and a < s.end for s in spans) or fold(surface) in self.demonyms:
                continue
            if _ORG_AFTER.match(text[b:b + 30]) or all(fold(w) in STOP_WORDS for w in surface.split()):
                continue
            if surface not in asked:
                asked[surface] = self.fallback(surface, +focus)
            place = asked[surface]
            if place is None:
                continue
            row = self.g.add_place(place)
            out.append(_Span(a, b, surface, (row,), "online", chosen=row, score=2.0))
        return out

    def _iso(self, name: str) -> Optional[str]:
        k = fold(name)
        return self.country_by_name.get(k) or self.demonyms.get(k)

    def _owner(self, text: str, pos: int, focus: Counter, others: list) -> Optional[str]:
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
            iso = self._iso(m.group(0))
            if iso:
                is_name = fold(m.group(0)) in self.country_by_name
                weight[iso] += 1.0 if is_name else 0.5
                if re.match(r"['’]s\s+(?:\w+\s+)?(?:border|frontier)", text[m.end():m.end() + 30]):
                    weight[iso] += 3.0  # "Armenia's borders ...": the article frames whose borders they are
        return weight

    # ------------------------------------------------------- disambiguation
    def _choose(self, text: str, s: _Span, focus: Counter, spans: list[_Span], strict: bool = True,
                prev: Optional[_Span] = None) -> None:
        key = fold(s.text)
        if s.kind == "name" and _ORG_AFTER.match(text[s.end:s.end + 30]):
            return  # "Turan news agency", "The Moscow Times": an organisation's name
        if s.kind == "seat":
            cap = self._capital(GOVERNMENT_SEATS[key])
            s.chosen, s.literal, s.score = cap, False, 5.0
            return
        if s.kind == "demonym":
            s.chosen = self.g.country_rows.get(self.demonyms[key])
            s.literal, s.score = False, 3.0
            return
        adjacent = _adjacent_country(text, s.end, self.country_by_name)
        region = self._adjacent_region(text, s.end)
        near = {c for c in (adjacent, region[0] if region else None) if c}
        # "Athens, Georgia": the name after the comma qualifies the place before it.
        host = None
        if prev is not None and prev.chosen is not None and re.fullmatch(r",\s*", text[prev.end:s.start]):
            host = self.g.data.countries[prev.chosen]
        if s.own:
            focus = focus.copy()
            focus[s.own[0]] -= s.own[1]
            focus = +focus
        total = sum(focus.values()) or 1.0
        best, best_score = None, float("-inf")
        for r in sorted(s.rows):
            ft = self.g.feature_type(r)
            cc = self.g.data.countries[r] or ""
            score = _gi.prominence(self.g, r)
            score += 4.0 * focus.get(cc, 0) / total
            if near:
                score += 5.0 if cc in near else -3.0
            if host:
                score += 4.0 if cc == host else (-3.0 if ft == "country" else 0.0)
            if region and cc == region[0] and self.g.data.admin1.get(r) == region[1]:
                score += 3.0  # "Paris, Texas", "Athens, Georgia": the city in that state
            if ft == "country" and fold(self.g.data.names[r]) == key:
                score += 1.0
            in_focus = focus.get(cc, 0) > 0 or cc in near
            primary = fold(self.g.data.names[r]) == key
            if strict and not in_focus and not primary and r not in self.g.data.curated and ft != "country" \
                    and self.g.data.pops[r] < 100_000:
                continue  # a minor place's alias, in a country the article is not about
            if strict and ft in ("town", "city") and not in_focus and r not in self.g.data.curated:
                # A small place in a country the article never mentions: abstain,
                # unless it is by far the main bearer of its name.
                if not self._dominant(r, s.rows) or _is_common_word(key, text, s.start, lenient=True):
                    continue
            if score > best_score:
                best, best_score = r, score
        if best is not None and best_score >= MIN_SCORE:
            s.chosen, s.score = best, best_score

    def _adjacent_region(self, text: str, end: int) -> Optional[tuple[str, str]]:
        """(country, admin-1 code) of a first-level region named right after a place."""
        m = _COMMA_REGION.match(text, end, end + 40)
        if not m:
            return None
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            for r in self.g.rows(fold(" ".join(words[:n]))) or self.g.exact_rows(" ".join(words[:n])):
                pid = self.g.data.ids[r]
                if pid.startswith("region:") and "-" in pid:
                    cc, code = pid[len("region:"):].split("-", 1)
                    return cc, code
        return None

    def _major_name(self, key: str) -> bool:
        """A curated place or a big city has this exact name (so it is not just an adjective)."""
        return any(r in self.g.data.curated or (self.g.data.pops[r] >= 100_000 and fold(self.g.data.names[r]) == key)
                   for r in self.g.rows(key))

    def _dominant(self, r: int, rows: tuple[int, ...]) -> bool:
        pop = self.g.data.pops[r]
        if pop >= 100_000:
            return True
        others = [self.g.data.pops[o] for o in rows if o != r]
        return pop >= 20_000 and all(o * 10 <= pop for o in others)

    def _capital(self, iso: str) -> Optional[int]:
        for r in sorted(self.capital_rows):
            if self.g.data.countries[r] == iso:
                return r
        return self.g.country_rows.get(iso)

    # ----------------------------------------------------------- literalness
    def _literalness(self, text: str, spans: list[_Span]) -> None:
        by_start = {o.start: o for o in spans}
        for s in reversed(spans):
            if s.chosen is None or s.kind in ("seat", "demonym", "border"):
                continue
            ft = self.g.feature_type(s.chosen)
            actor_like = ft == "country" or s.chosen in self.capital_rows
            after = text[s.end:s.end + 80]
            before = text[max(0, s.start - 60):s.start]
            governed = _GOVERNED.search(text[max(0, s.start - 12):s.start])
            if _OWNER_S.match(after):
                # "Russia's base", "Yerevan's airport": an owner, not a location;
                # but "in Mali's north" is a part of the place.
                if not (governed and re.match(r"['’]s\s+(?:far\s+)?(?:north|south|east|west|northern|southern|eastern|"
                                              r"western|central|centre|center|interior|part|border\s+region)\b", after)):
                    s.literal = False
            elif governed:
                continue  # "headquarters in Bamako will remain": the object of a preposition is a place
            elif _is_dateline(text, s):
                s.literal = False
            elif actor_like and _followed_by_actor_verb(after):
                s.literal = False
            elif actor_like and _coordinated_with_actor(after, by_start, s):
                s.literal = False
            elif actor_like and re.search(r"\b(\w+)\s+of\s+(?:the\s+)?$", before) and \
                    re.search(r"\b(\w+)\s+of\s+(?:the\s+)?$", before).group(1).lower() in AGENT_OF_NOUNS:
                s.literal = False
            elif actor_like and re.match(r"\s*[-–]\s*(led|backed|brokered|allied|aligned)\b", after):
                s.literal = False
            elif _SAID.match(after):
                s.literal = False

    def _mention(self, s: _Span) -> Mention:
        p = self.g.place(s.chosen)
        return Mention(
            start=s.start, end=s.end, text=s.text, place_id=p.place_id, name=p.name,
            feature_type=p.feature_type, country=p.country, lat=p.lat, lon=p.lon,
            literal=s.literal, score=round(min(1.0, max(0.0, s.score / 10.0)), 3),
        )


def DEMONYMS_FLAT(demonyms: dict) -> list[str]:
    out = []
    for v in demonyms.values():
        out.extend([v] if isinstance(v, str) else list(v))
    return out


def _drop_overlaps(spans: list[_Span]) -> list[_Span]:
    """Keep border phrases over the country names inside them; else the longer span."""
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    borders = [s for s in spans if s.kind == "border"]
    out = []
    for s in spans:
        if s.kind != "border" and any(b.start <= s.start < b.end for b in borders):
            continue
        if s.kind != "border" and out and out[-1].kind != "border" and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def _is_common_word(key: str, text: str, start: int, lenient: bool = False) -> bool:
    """A single capitalised word that is ordinary English here, not a place."""
    if key in STOP_WORDS:
        return True
    if lenient:
        return False
    # The same word in lower case elsewhere in the article marks it as a common word.
    return key in _lower_words(text) and not key[:1].isdigit()


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z0-9]+(?![\w-])")
_lower_cache: dict[int, tuple[str, frozenset]] = {}


def _lower_words(text: str) -> frozenset:
    """Every all-lower-case word of ``text`` (computed once per text, so lookups stay linear)."""
    got = _lower_cache.get(id(text))
    if got is None or got[0] is not text:
        got = (text, frozenset(_LOWER_WORD.findall(text)))
        _lower_cache.clear()
        _lower_cache[id(text)] = got
    return got[1]


def _looks_like_person(text: str, toks: list, j: int, g: "_gi.Gazetteer", rows) -> bool:
    """'Vladimir Putin', 'Alban Kacher': a single name followed by a capitalised
    word that is not itself a place is a person's (or an organisation's) name."""
    if any(g.feature_type(r) == "country" for r in rows) or j >= len(toks):
        return False
    gap = text[toks[j - 1][1]:toks[j][0]]
    nxt = text[toks[j][0]:toks[j][1]]
    if gap != " " or not nxt[:1].isupper():
        return False
    return not g.rows(fold(nxt)) or fold(nxt) in STOP_WORDS


def _adjacent_country(text: str, end: int, country_by_name: dict) -> Optional[str]:
    """ISO code of a country named right after a place ("Gyumri, Armenia")."""
    m = _COMMA_COUNTRY.match(text, end, end + 60)
    if not m:
        return None
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        iso = country_by_name.get(fold(" ".join(words[:n])))
        if iso:
            return iso
    return None


def _followed_by_actor_verb(after: str) -> bool:
    m = re.match(r"\s*(?:\([^)]{0,30}\)\s*)?((?:(?:has|have|had|also|previously|repeatedly|reportedly|again|already|"
                 r"then|now|not|never|all along|officially|publicly|firmly|\w+ly)\s+){0,3})(\w+)", after)
    if not m:
        return False
    verb = m.group(2).lower()
    if re.search(r"\b(has|have|had)\s", m.group(1) or ""):
        return True  # "Russia has withdrawn": the country is the subject
    return verb in ACTOR_VERBS or (verb.endswith("ed") and len(verb) > 4)


def _coordinated_with_actor(after: str, by_start: dict, s: _Span) -> bool:
    """'Moscow and Baku confirmed': the first of two coordinated actors."""
    m = re.match(r"\s+and\s+", after)
    if not m:
        return False
    nxt = by_start.get(s.end + m.end())
    return nxt is not None and not nxt.literal


def _is_dateline(text: str, s: _Span) -> bool:
    """'MOSCOW (Reuters) –' or 'KYIV, Ukraine —' at the start of a line."""
    line_start = text.rfind("\n", 0, s.start) + 1
    if text[line_start:s.start].strip():
        return False
    rest = text[s.end:s.end + 60]
    return s.text.isupper() and bool(re.match(r"(?:,\s*[\w .]+)?\s*(?:\([^)]*\)\s*)?[-–—]", rest))
