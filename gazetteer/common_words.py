"""Capitalised common words that are also place names somewhere on Earth.

Both the geoparser and the online geocoder's fallback skip them: in English
news prose they almost never mean the place.
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
