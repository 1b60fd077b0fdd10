import pathlib
import sys

# Tests run from a checkout as well as against an installed wheel.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import pytest


@pytest.fixture(scope="session")
def tiny_parser():
    """A Geoparser over the tiny in-code catalogue (tests/tiny_places.py)."""
    from tiny_places import tiny_gazetteer
    from geo.places.geoparse import Geoparser

    return Geoparser(tiny_gazetteer())


@pytest.fixture(scope="session")
def tiny_extractor(tiny_parser):
    from geo.postures.frame_extract import FrameExtractor

    return FrameExtractor(tiny_parser)


@pytest.fixture(scope="session")
def real_gazetteer():
    """The full compiled index (built once into the cache by setup.sh)."""
    from gazetteer.index import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="session")
def real_parser(real_gazetteer):
    from geo.places.geoparse import Geoparser

    return Geoparser(real_gazetteer)
