"""Keep a resident's report in progress: the draft, one committed answer at a time.

The conversation state is the draft row; every answer is committed, and the next question
follows from what the draft still lacks (`Draft.next_step()`), so a restart loses nothing. A
draft untouched for `draft_expiry_minutes` expires: it is erased, and the resident is told once.
The rules about answers that need more than storing (a description's length, Telegram splitting
a pasted text, a photo's caption, the 112 warning) live here, not in the chat handlers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from reports.models import Draft, Language
from services.container import Services
from storage.drafts import delete_unchanged_draft, save_draft

TELEGRAM_SPLIT_CHARS = 4096
"""Telegram apps send a longer text as several messages of at most this many characters."""
SPLIT_WINDOW = timedelta(seconds=2)


class DescriptionOutcome(StrEnum):
    """What became of a typed description."""

    ACCEPTED = "accepted"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    CONTINUATION = "continuation"
    """The rest of an overlong text that Telegram split; already answered, not a new answer."""
    REPEATED_PLACE = "repeated_place"
    """The place the resident just gave, typed again: they did not see the description
    question (its message was lost, or the bot restarted before sending it)."""


class CaptionOutcome(StrEnum):
    """What became of a photo's caption."""

    NONE = "none"
    ADDED = "added"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class CurrentDraft:
    """The resident's live draft, and whether an expired one was just erased."""

    draft: Draft | None
    expired: bool = False


class Drafting:
    """The use cases of a report in progress."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.rules = svc.config.reports
        self.expiry = timedelta(minutes=svc.config.timings.draft_expiry_minutes)

    async def current(self, user_id: int) -> CurrentDraft:
        """Return the resident's live draft; an expired one is erased (expired=True, once)."""
        draft = await self.svc.drafts.get(user_id)
        if draft is None:
            return CurrentDraft(None)
        if draft.updated_at + self.expiry > self.svc.clock.now():
            return CurrentDraft(draft)
        async with self.svc.uow() as work:
            erased = await delete_unchanged_draft(work.session, draft.user_id, draft.updated_at)
        return CurrentDraft(None, expired=erased)

    async def start(self, user_id: int, chat_id: int, language: Language) -> Draft:
        """Start and store a new, empty draft."""
        now = self.svc.clock.now()
        draft = Draft(
            user_id=user_id,
            chat_id=chat_id,
            token=secrets.token_hex(3),
            language=language,
            created_at=now,
            updated_at=now,
        )
        await self.save(draft, language)
        return draft

    async def save(self, draft: Draft, language: Language) -> None:
        """Commit the draft with the time of this answer and the resident's language."""
        draft.updated_at = self.svc.clock.now()
        draft.language = language
        async with self.svc.uow() as work:
            await save_draft(work.session, draft)

    async def cancel(self, user_id: int) -> bool:
        """Discard the resident's draft; return whether there was one."""
        return await self.svc.drafts.delete(user_id)

    async def expire(self) -> list[Draft]:
        """Erase every draft untouched for too long; return the ones erased."""
        erased: list[Draft] = []
        for draft in await self.svc.drafts.expired(self.svc.clock.now() - self.expiry):
            async with self.svc.uow() as work:
                if await delete_unchanged_draft(work.session, draft.user_id, draft.updated_at):
                    erased.append(draft)
        return erased

    async def describe(
        self, draft: Draft, text: str, sent_at: datetime, language: Language
    ) -> DescriptionOutcome:
        """Store a description within the configured length; say what became of it."""
        if draft.overflow_at is not None and (
            timedelta(0) <= sent_at - draft.overflow_at <= SPLIT_WINDOW
        ):
            # Telegram apps split a pasted text over 4096 characters into several messages;
            # the first part was already answered as too long, so the rest is not a new answer.
            draft.overflow_at = sent_at
            await self.save(draft, language)
            return DescriptionOutcome.CONTINUATION
        cleaned = text.strip()
        if repeats_place(draft, cleaned):
            return DescriptionOutcome.REPEATED_PLACE
        if len(cleaned) < self.rules.description_min_chars:
            return DescriptionOutcome.TOO_SHORT
        if len(cleaned) > self.rules.description_max_chars:
            if len(text) >= TELEGRAM_SPLIT_CHARS:
                draft.overflow_at = sent_at
                await self.save(draft, language)
            return DescriptionOutcome.TOO_LONG
        draft.description = cleaned
        draft.overflow_at = None
        await self.save(draft, language)
        return DescriptionOutcome.ACCEPTED

    async def add_photo(
        self, draft: Draft, file_id: str, caption: str | None, language: Language
    ) -> CaptionOutcome:
        """Keep a photo's file id (not the photo) and add its caption to the description."""
        draft.photo_file_ids.append(file_id)
        outcome = CaptionOutcome.NONE
        extra = (caption or "").strip()
        if extra:
            combined = f"{draft.description}\n{extra}" if draft.description else extra
            if len(combined) <= self.rules.description_max_chars:
                draft.description = combined
                outcome = CaptionOutcome.ADDED
            else:
                outcome = CaptionOutcome.TOO_LONG
        if len(draft.photo_file_ids) >= self.rules.max_photos:
            draft.photos_done = True
        await self.save(draft, language)
        return outcome

    async def needs_urgent_warning(self, draft: Draft, language: Language) -> bool:
        """Return True once per draft when its category or description signals danger."""
        if draft.urgent_warned:
            return False
        category = self.svc.config.category(draft.category_id or "")
        if not self.svc.urgency.is_urgent(category, draft.description):
            return False
        draft.urgent_warned = True
        await self.save(draft, language)
        return True


def repeats_place(draft: Draft, text: str) -> bool:
    """Return whether `text` is the place the resident typed for this draft, typed again."""
    location = draft.location
    if location is None or location.label is None:
        return False
    return _folded(text) == _folded(location.label)


def _folded(text: str) -> str:
    """Return text without case or repeated white space, for comparing typed answers."""
    return " ".join(text.split()).casefold()
