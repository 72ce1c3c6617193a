"""Name a report's timing for a text (partners, categories and dates: handlers.messages)."""

from __future__ import annotations

from handlers.texts import T
from reports.models import Timing

TIMING_TEXTS = {
    Timing.NOW: T.TIMING_NOW,
    Timing.EARLIER: T.TIMING_EARLIER,
    Timing.RECURRING: T.TIMING_RECURRING,
}
