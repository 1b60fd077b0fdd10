import pathlib
import sys

# Tests run from a checkout as well as against an installed wheel.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
