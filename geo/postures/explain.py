"""Why a place got its status: an article's frames, roles, statuses and rule ids as text.

``geomap explain FILE`` prints, for every sentence that names a place or
holds a frame, the sentence, each frame (trigger, class, polarity, modality,
aspect, force and actor), each place with its role and status, and the rule
ids behind them; places of the sentence that no frame took are listed too,
so an analyst sees what was read and what was left out.
"""
from __future__ import annotations

from typing import Iterable

from geocore.records import Article
from geo.postures.document import article_frames, decisions
from geo.postures.rulebook import rulebook


def explain_lines(article: Article, gp, *, width: int = 160) -> Iterable[str]:
    """The explanation of one article, line by line."""
    book = rulebook()
    frames, sentences, _ctx = article_frames(article, gp, book)
    decided = {(id(d.frame), d.mention.place_id): d for d in decisions(frames, book)}
    mentions = gp.parse(article.text)
    by_sentence: dict[int, list] = {}
    for f in frames:
        by_sentence.setdefault(f.sentence, []).append(f)
    for si, sent in enumerate(sentences):
        s_mentions = [m for m in mentions if sent.start <= m.start < sent.end]
        frs = by_sentence.get(si, [])
        if not frs and not s_mentions:
            continue
        text = " ".join(sent.text.split())
        yield f"[{si}] {text[:width]}{'…' if len(text) > width else ''}"
        taken = set()
        for f in frs:
            force = f.force
            who = f"{force.phrase} ({', '.join(force.actors) or 'no side'})" if force else "no force"
            yield (f"  frame {f.cls} '{f.trigger}' polarity={f.polarity} modality={f.modality} aspect={f.aspect}"
                   f" force={who}")
            yield f"    rules: {f.rule} {' '.join(c.rule for c in f.cues)} {' '.join(force.rules) if force else ''}"
            for p in f.places:
                taken.add(id(p.mention))
                d = decided.get((id(f), p.mention.place_id))
                status = f"{d.row.status} ({d.row.confidence:.2f}, {d.row.id})" if d else "no posture"
                via = f" via '{p.anaphor}'" if p.anaphor else ""
                yield f"    place {p.mention.name} [{p.mention.feature_type} {p.mention.country or ''}]{via}: " \
                      f"role={p.role} ({p.rule}) -> {status}"
        for m in s_mentions:
            if id(m) not in taken and not any(p.mention.place_id == m.place_id for f in frs for p in f.places):
                kind = "literal" if m.literal else "actor/metonym"
                yield f"  unlinked {m.text} -> {m.name} [{m.feature_type} {m.country or ''}] ({kind})"
