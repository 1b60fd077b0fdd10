"""Word lists the geoparser and extractor share.

These are linguistic data about English news prose, not about any article:
function words, titles, reporting verbs, force nouns, status triggers.
"""
from __future__ import annotations

# Capitalised words that start sentences or titles and are place names
# somewhere on Earth, but in English news almost never mean that place.
STOP_WORDS = frozenset("""
a an the and or but if of in on at to from by for with as is are was were be been being this that these those
he she it they we you i his her its their our your my me him them us who whom whose which what when where why how
not no nor so than then there here also only even just still yet all any each every some many much more most few
other another such own same both either neither one two three four five six seven eight nine ten first second third
last next new old great good high low long major minor north south east west northern southern eastern western central
president prime minister ministry minister general colonel captain commander chief secretary spokesman spokesperson
spokeswoman officer official officials head deputy lieutenant sergeant major admiral marshal king queen prince pope
mr mrs ms dr sir lord lady saint st mount mt fort ft lake river port cape point bay island islands
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
today tomorrow yesterday meanwhile however moreover instead while although though because since after before during
support read remind share photo credit source copyright reuters interfax tass afp ap epa getty images news agency
please thank thanks subscribe donate
army navy air force forces troops military defence defense security council union parliament government state
republic federation kingdom empire church party court bank university hospital school airport base
peace war victory liberty independence freedom unity concord harmony hope faith justice progress
police militia guard guards mobile reading split nice bath deal bar sale college lead leader media press
""".split())

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
