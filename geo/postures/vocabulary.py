"""Word lists of the posture extractor: venue, civilian and filler words, locative prepositions, organisations.

These are linguistic data about English news prose, not about any article.
"""
from __future__ import annotations

# Words that make a following place a meeting venue, not a deployment.
VENUE_WORDS = frozenset("""
talks meeting meetings met meet meets summit summits visit visits visited visiting briefing briefings conference
conferences negotiations negotiated ceremony forum held hold interview session sessions gathering
ministry ministries government officials spokesman spokesperson spokeswoman parliament presidency
announced signed unveiled fighting clashes clash battle battles war protests protest strike strikes election elections
""".split())

# Nouns naming civilians: statements about them are not force postures.
CIVILIAN_NOUNS = frozenset("""
population populations residents resident civilians civilian refugees refugee people families family inhabitants
villagers citizens children women men locals migrants evacuees displaced homes home tourists journalists students
""".split())

# Words between a locative preposition and a place name that keep the place
# the object of the preposition ("in the Armenian city of Gyumri").
PLACE_FILLERS = frozenset("""
the a an its their his her our this that these those nearby northern southern eastern western central former
city town village region regions province provinces district districts port area areas territory territories
outskirts part parts several some many five four three two six seven eight nine ten number of and or
key strategic disputed occupied neighbouring neighboring border frontier capital breakaway separatist self-declared
""".split())

LOCATIVE_PREPS = ("in", "at", "on", "along", "from", "into", "through", "near", "across", "inside", "within",
                  "around", "outside", "via", "off", "out of", "throughout", "over", "to", "towards", "toward")

# Organisations whose acronyms or names stand before a force ("UN peacekeepers").
ORG_ACTORS = {
    "un": "United Nations", "united nations": "United Nations", "nato": "NATO", "eu": "European Union",
    "european union": "European Union", "osce": "OSCE", "csto": "CSTO", "au": "African Union",
    "african union": "African Union", "ecowas": "ECOWAS", "unifil": "UNIFIL", "minusma": "MINUSMA",
    "monusco": "MONUSCO", "minusca": "MINUSCA", "unmiss": "UNMISS", "kfor": "KFOR", "eufor": "EUFOR",
    "isaf": "ISAF", "undof": "UNDOF", "unficyp": "UNFICYP", "wagner": "Wagner Group", "africa corps": "Africa Corps",
    "idf": "IL", "tsahal": "IL", "bundeswehr": "DE", "pla": "CN", "sdf": "SDF", "hezbollah": "Hezbollah", "hamas": "Hamas", "houthi": "Houthis", "houthis": "Houthis",
}
