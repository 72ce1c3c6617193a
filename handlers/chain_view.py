"""Transitional: the partner view moved to `handlers.partner.view` (its codec to `.codec`).

Kept for the modules of other areas that still import it; remove once none does.
"""

from __future__ import annotations

from handlers.partner.view import PARTNER_LANGUAGE, case_buttons, notification_text, status_line

__all__ = ["PARTNER_LANGUAGE", "case_buttons", "notification_text", "status_line"]
