"""Settings shared by every test."""

from __future__ import annotations

import os

# python-telegram-bot 22 warns when it builds RetryAfter unless durations are timedeltas;
# warnings are errors in the tests, and Meldbot sets the same in production (bot/__main__.py).
os.environ.setdefault("PTB_TIMEDELTA", "true")
