"""Synthetic benchmark corpus: N ~500-word articles about force postures worldwide.

Places are drawn deterministically (seeded ``random.Random``) from the whole
gazetteer: large cities, military bases, land borders and countries. Each
article has 1-3 posture sentences from templates covering the three statuses
(stay / withdraw / withdrawn wordings, negation, modality, superseded plans),
distractor places that are not postures (meeting venues, civilians leaving,
governments speaking), and filler prose. Alongside the articles it writes a
``metadata.json`` and a gold file in the format of ``tests/data/seeds.gold.json``.

The texts are written for this benchmark, not copied from any seed article.

Usage (from the repository root)::

    python bench/corpus.py 1000 /tmp/corpus          # writes /tmp/corpus/*.txt, metadata.json, gold.json
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geo  # noqa: E402,F401  (geo first: importing gazetteer first can hit a geo <-> gazetteer import cycle)
from gazetteer.borders import DEMONYMS  # noqa: E402
from gazetteer.normalize import fold  # noqa: E402

GOLD_NAME = "gold.json"

# {A}: actor demonym, {P}: place phrase, {D}: weekday, {N}: a strength.
STAY = [
    "{A} troops will remain stationed in {P}, the defence ministry said.",
    "Around {N} {A} soldiers remain deployed in {P} under the existing agreement.",
    "{A} forces have no plans to withdraw from {P}, a spokesperson told reporters.",
    "The {A} contingent in {P} will stay until further notice.",
    "{A} troops in {P} are not affected by the reduction, officials said.",
    "{A} peacekeepers continue to operate in {P} despite the criticism.",
]
WITHDRAWING = [
    "{A} troops began withdrawing from {P} on {D}.",
    "{A} forces will pull out of {P} by the end of the year.",
    "The government announced that {A} troops would leave {P} next month.",
    "{A} soldiers are now leaving {P}, local media reported.",
    "Under the deal, the {A} contingent is due to withdraw from {P} within six months.",
]
WITHDRAWN = [
    "The last {A} soldiers left {P} on {D}.",
    "{A} troops have completed their withdrawal from {P}.",
    "{A} forces withdrew from {P} earlier this month.",
    "{A} troops are no longer stationed in {P}.",
]
TEMPLATES = {"staying": STAY, "withdrawing": WITHDRAWING, "withdrawn": WITHDRAWN}
DISTRACTORS = [
    "The agreement was signed at talks in {Q} last week.",
    "Thousands of residents left {Q} after the floods.",
    "A delegation met ministers at a conference in {Q}.",
    "Trade between the two sides has grown, according to figures published in {Q}.",
]
HEADLINES = [
    "Defence ministry outlines new deployment plan",
    "Security shake-up as governments review commitments",
    "Officials confirm changes to overseas missions",
    "Analysis: what the announcement means for regional security",
]
FILLER = [
    "Analysts said the decision reflected a broader rethink of security commitments across the region.",
    "The announcement came after weeks of negotiations between senior officials.",
    "Neither side gave details of the costs involved.",
    "Opposition politicians criticised the lack of consultation with parliament.",
    "Diplomats described the talks as difficult but constructive.",
    "The move follows a review of defence spending that was completed in the spring.",
    "Observers noted that similar arrangements had been discussed several times over the past decade.",
    "The ministry said a full statement would be issued later in the week.",
    "Local officials welcomed the clarity but asked for more information about the timetable.",
    "Economists warned that the changes could affect employment in nearby communities.",
    "Human rights groups called for an independent inquiry into the events of the past year.",
    "The issue is expected to feature prominently at the next summit of regional leaders.",
    "Several lawmakers said they would seek a debate on the matter.",
    "Questions remain about how the arrangement will be monitored in practice.",
    "Commentators pointed to the growing influence of outside powers.",
    "The statement did not mention any timetable for further talks.",
    "Public opinion on the issue has shifted significantly over the past two years.",
    "Officials declined to comment on reports of disagreements within the cabinet.",
    "The foreign minister is due to brief journalists on the outcome of the meetings.",
    "Critics argue that the policy lacks a clear long-term strategy.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
OUTLETS = ["Bench Wire", "Synthetic Times", "Example Daily", None]


@dataclass(frozen=True)
class Target:
    """A place a sentence can be about, with how it is written and how gold describes it."""

    phrase: str
    place: str
    feature: str
    country: Optional[str]
    lat: float
    lon: float
    countries: tuple[str, ...] = ()


def _demonym(iso: str) -> Optional[str]:
    adj = DEMONYMS.get(iso)
    if isinstance(adj, (list, tuple)):
        adj = adj[0] if adj else None
    return adj if adj and adj.isalpha() and adj[:1].isupper() else None


def place_pool(g) -> dict[str, list[Target]]:
    """Places of every kind from the whole gazetteer, in a deterministic order."""
    from gazetteer.index import prominence

    d = g.data
    countries = {iso: d.names[row] for iso, row in g.country_rows.items()}
    pool: dict[str, list[Target]] = {"city": [], "base": [], "border": [], "country": []}
    for i in range(len(d.ids)):
        ft = g.feature_type(i)
        name = d.names[i]
        cc = d.countries[i]
        if ft == "city" and d.pops[i] >= 300_000 and cc in countries and name.replace(" ", "").isalpha():
            rows = g.rows(fold(name))
            # only names whose most prominent bearer is this city: the gold must be unambiguous
            if max(rows, key=lambda r: (prominence(g, r), -r)) == i and all(g.feature_type(r) in ("city", "town") for r in rows):
                pool["city"].append(Target(f"{name}, {countries[cc]}", name, "city", cc, d.lats[i], d.lons[i]))
        elif ft == "base" and cc in countries and name.endswith(("Air Base", "Naval Base", "Military Base")):
            pool["base"].append(Target(f"the {name}", name, "base", cc, d.lats[i], d.lons[i]))
        elif ft == "border" and cc:
            a, b = cc.split("-")
            if a in countries and b in countries and "," not in countries[a] + countries[b]:
                pool["border"].append(Target(f"the {countries[a]}-{countries[b]} border", name, "border", cc,
                                             d.lats[i], d.lons[i], (a, b)))
        elif ft == "country" and cc and "," not in name and len(name) > 3:
            pool["country"].append(Target(name, name, "country", cc, d.lats[i], d.lons[i]))
    return pool


def _actor(rng: random.Random, target: Target, actors: list[str]) -> tuple[str, str]:
    while True:
        iso = rng.choice(actors)
        if iso not in (target.country or "").split("-"):
            return iso, _demonym(iso)


def articles(n: int, g, seed: int = 7) -> Iterator[tuple[str, str, dict, dict]]:
    """Yield (file name, text, metadata entry, gold entry) for ``n`` articles."""
    rng = random.Random(seed)
    pool = place_pool(g)
    kinds = [k for k in ("city", "city", "city", "base", "border", "country") if pool[k]]
    actors = sorted(iso for iso in ("RU", "US", "FR", "GB", "DE", "TR", "CN", "IN", "IT", "ES", "PL", "NL")
                    if _demonym(iso))
    start = date(2020, 1, 1)
    for k in range(n):
        name = f"{k:06d}.txt"
        published = start + timedelta(days=rng.randrange(1500))
        outlet = rng.choice(OUTLETS)
        used: set[str] = set()
        postures = []
        sentences: list[str] = []
        for _ in range(rng.randint(1, 3)):
            target = rng.choice(pool[rng.choice(kinds)])
            if target.place in used:
                continue
            used.add(target.place)
            status = rng.choice(list(TEMPLATES))
            iso, dem = _actor(rng, target, actors)
            sentence = rng.choice(TEMPLATES[status]).format(
                A=dem, P=target.phrase, D=rng.choice(WEEKDAYS), N=f"{rng.randint(2, 40) * 100:,}")
            sentence = sentence[0].upper() + sentence[1:]
            sentences.append(sentence)
            entry = {"place": target.place, "feature": target.feature, "lat": target.lat, "lon": target.lon,
                     "force": f"{dem} troops", "status": status, "evidence": sentence}
            if target.feature == "border":
                entry["countries"] = list(target.countries)
            elif target.feature == "country":
                entry["country"] = target.country
            postures.append(entry)
        for _ in range(2):
            q = rng.choice(pool["city"])
            if q.place not in used:
                sentences.append(rng.choice(DISTRACTORS).format(Q=q.phrase))
        body = sentences + rng.sample(FILLER, 12)
        rng.shuffle(body)
        words = sum(len(s.split()) for s in body)
        while words < 480:  # ~500 words of prose
            s = rng.choice(FILLER)
            body.append(s)
            words += len(s.split())
        paragraphs = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
        text = rng.choice(HEADLINES) + "\n\n" + "\n\n".join(paragraphs) + "\n"
        meta = {"file": name, "outlet": outlet, "published": published.isoformat()}
        gold = {"doc": name, "outlet": outlet, "published": published.isoformat(), "postures": postures}
        yield name, text, meta, gold


def write_corpus(n: int, folder, *, seed: int = 7, g=None) -> Path:
    """Write ``n`` articles, ``metadata.json`` and ``gold.json`` into ``folder``; return the folder."""
    if g is None:
        from gazetteer.index import Gazetteer

        g = Gazetteer.load()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    metas, golds = [], []
    for name, text, meta, gold in articles(n, g, seed):
        (folder / name).write_text(text, encoding="utf-8")
        metas.append(meta)
        golds.append(gold)
    about = f"Synthetic benchmark corpus: {n} articles, seed {seed} (bench/corpus.py)."
    (folder / "metadata.json").write_text(json.dumps({"about": about, "articles": metas}, indent=1), encoding="utf-8")
    (folder / GOLD_NAME).write_text(json.dumps({"about": about, "docs": golds}, indent=1, ensure_ascii=False),
                                    encoding="utf-8")
    return folder


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("folder")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    write_corpus(args.n, args.folder, seed=args.seed)
    print(f"wrote {args.n} articles to {args.folder}")


if __name__ == "__main__":
    main()
