"""The benchmarks live in the checkout, not in the installed packages: import them from there."""

import sys
from pathlib import Path

CHECKOUT = str(Path(__file__).resolve().parents[2])
if CHECKOUT not in sys.path:
    sys.path.insert(0, CHECKOUT)
