"""A tiny canonical gazetteer built in code, for fast focused tests.

Coordinates are real (to ~0.01 deg); country outlines are coarse boxes, enough
for feature classes and borders. Includes the known traps: Georgia (country and
US state), Armenia (country and Colombian city), Lachin (town and corridor),
a curated base near a city, and Stepanakert/Khankendi aliases.
"""
from __future__ import annotations

from shapely.geometry import LineString, Polygon, box

from gazetteer.index import Gazetteer
from gazetteer.sources import SourceRecord
from gazetteer.table import IndexData


def _country(iso, name, lat, lon, geom, aliases=()):
    return SourceRecord(f"country:{iso}", name, "country", iso, lat, lon, names=[name, *aliases], geometry=geom)


def _border(a, b, name, coords, aliases=()):
    pid = f"border:{'-'.join(sorted((a, b)))}"
    line = LineString(coords)
    mid = line.interpolate(0.5, normalized=True)
    return SourceRecord(pid, name, "border", "-".join(sorted((a, b))), mid.y, mid.x, names=list(aliases), geometry=line)


def _city(gid, name, cc, lat, lon, pop, alts=(), capital=False):
    ft = "city" if pop >= 100_000 else "town"
    return SourceRecord(f"geonames:{gid}", name, ft, cc, lat, lon, population=pop, names=[name, *alts], capital=capital)


RECORDS = [
    _country("AM", "Armenia", 40.07, 45.04, box(43.4, 38.8, 46.6, 41.3)),
    _country("AZ", "Azerbaijan", 40.3, 47.7, box(44.8, 38.4, 50.4, 41.9)),
    _country("TR", "Turkey", 39.0, 35.0, box(26.0, 36.0, 44.8, 42.1), ["Türkiye"]),
    _country("IR", "Iran", 32.0, 53.0, box(44.0, 25.0, 63.3, 39.8)),
    _country("RU", "Russia", 61.0, 90.0, box(27.0, 41.2, 180.0, 77.0), ["Russian Federation"]),
    _country("UA", "Ukraine", 49.0, 31.5, box(22.1, 44.4, 40.2, 52.4)),
    _country("GE", "Georgia", 42.2, 43.5, box(40.0, 41.0, 46.7, 43.6)),
    _country("CO", "Colombia", 4.6, -74.1, box(-79.0, -4.2, -66.9, 12.5)),
    _country("US", "United States", 39.8, -98.6, box(-125.0, 24.5, -66.9, 49.4), ["United States of America"]),
    _country("SY", "Syria", 35.0, 38.5, box(35.7, 32.3, 42.4, 37.3)),
    _country("ML", "Mali", 17.6, -4.0, box(-12.2, 10.1, 4.3, 25.0)),
    _country("FR", "France", 46.6, 2.4, box(-4.8, 42.3, 8.2, 51.1)),
    _border("AM", "TR", "Armenia–Turkey border", [(43.45, 41.1), (43.6, 40.6), (43.7, 40.3), (44.3, 40.0), (44.8, 39.7)],
            ["Armenia-Turkey border", "Armenian-Turkish border", "Turkish-Armenian border"]),
    _border("AM", "IR", "Armenia–Iran border", [(45.98, 38.88), (46.25, 38.87), (46.5, 38.9)],
            ["Armenia-Iran border", "Armenian-Iranian border"]),
    _border("AM", "AZ", "Armenia–Azerbaijan border", [(45.0, 41.2), (45.6, 40.6), (45.9, 40.0), (46.4, 39.5), (46.5, 38.9)],
            ["Armenia-Azerbaijan border", "Armenian-Azerbaijani border"]),
    _border("AM", "GE", "Armenia–Georgia border", [(43.5, 41.1), (44.5, 41.2), (45.0, 41.2)]),
    _border("AZ", "IR", "Azerbaijan–Iran border", [(46.5, 38.9), (47.5, 39.4), (48.3, 38.4)]),
    _border("RU", "UA", "Russia–Ukraine border", [(33.5, 52.3), (36.0, 50.3), (38.2, 49.9), (39.7, 47.8)]),
    _border("SY", "TR", "Syria–Turkey border", [(36.0, 36.8), (38.0, 36.8), (42.3, 37.1)]),
    _city(616635, "Gyumri", "AM", 40.7942, 43.8453, 114667, ["Leninakan", "Kumayri"]),
    _city(174895, "Goris", "AM", 39.5111, 46.3417, 17592),
    _city(174763, "Sisian", "AM", 39.5219, 46.0270, 13176),
    _city(616052, "Yerevan", "AM", 40.1811, 44.5136, 1093485, ["Erevan"], capital=True),
    _city(524901, "Moscow", "RU", 55.7522, 37.6156, 10381222, ["Moskva"], capital=True),
    _city(587084, "Baku", "AZ", 40.3777, 49.8920, 1116513, capital=True),
    _city(146970, "Khankendi", "AZ", 39.8177, 46.7528, 2100, ["Stepanakert", "Xankendi"]),
    _city(147622, "Shusha", "AZ", 39.7583, 46.7484, 4064, ["Shushi", "Susa"]),
    _city(147625, "Laçın", "AZ", 39.6408, 46.5469, 10000, ["Lachin", "Berdzor"]),
    _city(148619, "Aghdam", "AZ", 39.9911, 46.9274, 1000, ["Agdam", "Ağdam"]),
    _city(706448, "Kherson", "UA", 46.6354, 32.6169, 320477),
    _city(703448, "Kyiv", "UA", 50.4547, 30.5238, 2797553, ["Kiev"], capital=True),
    _city(2460596, "Bamako", "ML", 12.65, -8.0, 1297281, capital=True),
    _city(2457163, "Gao", "ML", 16.2717, -0.0447, 86633),
    _city(170654, "Damascus", "SY", 33.5102, 36.2913, 1569394, capital=True),
    _city(2988507, "Paris", "FR", 48.8534, 2.3488, 2138551, capital=True),
    _city(3689560, "Armenia", "CO", 4.5339, -75.6811, 315328),
    _city(4180439, "Atlanta", "US", 33.749, -84.388, 463878),
    _city(611717, "Tbilisi", "GE", 41.6941, 44.8337, 1049498, capital=True),
    SourceRecord("region:US-GA", "Georgia", "region", "US", 32.9, -83.4, population=9_000_000, names=["Georgia"]),
    SourceRecord("region:US-TX", "Texas", "region", "US", 31.0, -97.5, population=25_000_000, names=["Texas"]),
    SourceRecord("site:102nd-military-base", "102nd Military Base", "base", "AM", 40.7893, 43.8327,
                 names=["102nd Russian military base", "Russian base in Gyumri"], near="Gyumri", operator="RU", curated=True),
    SourceRecord("site:agdam-monitoring-centre", "Russian-Turkish Joint Monitoring Centre", "base", "AZ", 39.991, 46.927,
                 names=["Agdam monitoring centre", "joint monitoring center"], near="Agdam", curated=True),
    SourceRecord("site:hmeimim-air-base", "Hmeimim Air Base", "base", "SY", 35.4008, 35.9487,
                 names=["Hmeimim", "Khmeimim", "Hmeimim airbase"], operator="RU", curated=True),
    SourceRecord("site:lachin-corridor", "Lachin corridor", "corridor", "AZ", 39.637, 46.55,
                 names=["Lachin corridor", "Berdzor corridor"], curated=True,
                 geometry=LineString([(46.33, 39.47), (46.55, 39.64), (46.75, 39.76), (46.75, 39.82)])),
    SourceRecord("site:nagorno-karabakh", "Nagorno-Karabakh", "region", "AZ", 39.85, 46.75,
                 names=["Nagorno-Karabakh", "Karabakh", "Artsakh", "Nagorno Karabakh"], curated=True,
                 geometry=Polygon([(46.3, 39.5), (47.1, 39.5), (47.1, 40.3), (46.3, 40.3)])),
    SourceRecord("icao:UDYZ", "Zvartnots International Airport", "airport", "AM", 40.1473, 44.3959,
                 names=["Zvartnots International Airport", "Zvartnots airport", "Zvartnots"]),
]


def tiny_gazetteer() -> Gazetteer:
    """A fresh Gazetteer over :data:`RECORDS` (milliseconds to build)."""
    data = IndexData(version="tiny-1")
    for r in RECORDS:
        data.add(r)
    return Gazetteer(data)
