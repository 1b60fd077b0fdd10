"""Words around a place name that make it an actor rather than a location (metonymy cues)."""
from __future__ import annotations

# Verbs that make a preceding country or capital an actor ("Moscow said").
ACTOR_VERBS = frozenset("""
said says say saying told tells tell stated states announced announces announce insisted insists insist
dismissed dismisses dismiss denied denies deny confirmed confirms confirm claimed claims claim accused accuses accuse
blamed blames blame warned warns warn agreed agrees agree demanded demands demand requested requests request
asked asks ask urged urges urge rejected rejects reject refused refuses refuse called calls vowed vows threatened
threatens recognized recognised recognizes recognises signed signs decided decides responded responds welcomed welcomes
condemned condemns hopes hoped wants wanted insisted argued argues believes believed maintains maintained
began begins started starts launched launches retook retakes captured seized sent sends deployed deploys
withdrew withdraws withdraw pulled agreed has have had is was will would can could may might must should shall
did does do protested protests expressed expresses noted notes reported reports says added adds explained explains
suspended suspends joined joins left leaves moved moves sought seeks plans planned intends intended
""".split())

# Nouns after which "of X" names an actor, not a location ("at the request of Yerevan").
AGENT_OF_NOUNS = frozenset("""
request requests behalf government governments leadership leaders leader president presidents prime minister ministry
ministries authorities officials official side position decision consent invitation initiative embassy parliament
army forces troops military allies ally partner partners people citizens representatives delegation envoy
foreign defense defence spokesman spokesperson administration cabinet regime sovereignty independence interests
""".split())
