"""Render what the casework use cases queue for partner chats (a mixin of TelegramMessages)."""

from __future__ import annotations

from handlers.texts import T, t
from reports.models import Language, Report
from services.ports import Rendered


class PartnerMessages:
    """Render the casework messages of `services.ports.CaseworkMessages`."""

    def relayed_answer(self, report: Report, answer: str, language: Language) -> Rendered:
        """Render the resident's answer to a caseworker's question, without names."""
        text = t(T.P_RELAYED_ANSWER, language, reference=report.reference, text=answer)
        return Rendered({"text": text, "parse_mode": "HTML"})

    def duplicate_closing(self, reference: str, language: Language) -> str:
        """Say, as a closing text for residents, that their report joined an older one."""
        return t(T.R_DUPLICATE_CLOSING, language, reference=reference)
