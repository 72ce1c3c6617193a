"""The people of a chaos run: residents who report adaptively, and a caseworker who claims.

A resident never follows a fixed script: after each action it waits for the bot's next question
in its chat and answers whatever the newest question asks, because a bot that was killed may
ask a question again, answer a replayed update or say it resumes. Told that something went
wrong (the bot then asks to try again), it asks with /melden where it is and goes on. It counts
an action that got no message at all within the time-out as unanswered.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from enum import Enum

from handlers.texts import T, plain
from reports.models import Language
from sandbox.botapi import FakeBotApi, FakeGroup, FakeUser, SentMessage

CATEGORY = "🧑‍🤝‍🧑 Jongerenoverlast"
PLACE = "Twekkelerveld"
"""Outside the city centre: the bot runs on the real clock here, and youth nuisance in the
centre goes to Handhaving's night team on Friday and Saturday nights (the police caseworker
would have nothing to claim)."""
DESCRIPTION = "Elke avond hangen jongeren rond bij het bankje en gooien ze flessen kapot."
SEND = "✅ Versturen"
REPORT: list[tuple[str, str, str]] = [
    ("say", "/melden", "stap 1 van 6"),
    ("key", CATEGORY, "stap 2 van 6"),
    ("say", PLACE, "stap 3 van 6"),
    ("say", DESCRIPTION, "stap 4 van 6"),
    ("press", "Geen foto's", "stap 5 van 6"),
    ("press", "Het komt steeds terug", "stap 6 van 6"),
    ("press", "Nee, liever niet", "Controleer uw melding"),
    ("press", SEND, "opgeslagen onder nummer"),
]
"""One full report for the benches: what to do ("say" a text, "key": tap a key of the reply
keyboard, "press" an inline button), and what the bot's answer contains."""
CLAIM = "🙋 Oppakken"
CLAIMED = "in behandeling bij"
REFERENCE = re.compile(r"ENS-\d{4}-\d+")
FAILED = plain(T.INTERNAL_ERROR, Language.NL)[:40]
"""The start of what the bot says when handling a message failed ("please try again")."""
MAX_ACTIONS = 30


class Stage(Enum):
    """Which question a bot message asks (or that it confirms the report)."""

    CATEGORY = "stap 1 van 6"
    LOCATION = "stap 2 van 6"
    DESCRIPTION = "stap 3 van 6"
    PHOTOS = "stap 4 van 6"
    TIMING = "stap 5 van 6"
    CONTACT = "stap 6 van 6"
    SUMMARY = "Controleer uw melding"
    CONFIRMED = "opgeslagen onder nummer"
    EXPIRED = "zonder reactie verlopen"


ANSWERS: dict[Stage, tuple[str, str]] = {
    Stage.CATEGORY: ("key", CATEGORY),
    Stage.LOCATION: ("say", PLACE),
    Stage.DESCRIPTION: ("say", DESCRIPTION),
    Stage.PHOTOS: ("press", "Geen foto's"),
    Stage.TIMING: ("press", "Het komt steeds terug"),
    Stage.CONTACT: ("press", "Nee, liever niet"),
    Stage.SUMMARY: ("press", SEND),
    Stage.EXPIRED: ("say", "/melden"),
}


def stage_of(message: SentMessage) -> Stage | None:
    """Return the question a message asks: a newly sent one, or an edit that turned an answered
    question into the next one (it has buttons; the latest question in its text counts) or the
    summary into the confirmation. Edits that only close a question ask none."""
    turned = message.method == "editMessageText" and (
        bool(message.buttons) or Stage.CONFIRMED.value in message.text
    )
    if not turned and (message.edited or message.method != "sendMessage"):
        return None
    found = [(message.text.rfind(s.value), s) for s in Stage if s.value in message.text]
    return max(found, key=lambda pair: pair[0])[1] if found else None


@dataclass
class ResidentLog:
    """What one resident did and what came of it."""

    user_id: int
    actions: int = 0
    unanswered: int = 0
    """Actions after which no message at all came within the time-out."""
    stuck: int = 0
    """Actions answered, but without a next question within the time-out."""
    pressed_send: bool = False
    reference: str | None = None
    gave_up: bool = False
    notes: list[str] = field(default_factory=list)


class Resident:
    """One resident making one report from /melden to the reference."""

    def __init__(self, api: FakeBotApi, user: FakeUser, timeout: float) -> None:
        self.api = api
        self.user = user
        self.timeout = timeout
        self.log = ResidentLog(user.id)

    def _chat(self) -> list[SentMessage]:
        return self.api.messages(self.user.id)

    def _newest_stage(self) -> tuple[SentMessage, Stage] | None:
        """Return the newest message of the chat that asks a question or confirms."""
        for message in reversed(self._chat()):
            stage = stage_of(message)
            if stage is not None:
                return message, stage
        return None

    async def report(self) -> ResidentLog:
        """Report until the bot tells the reference, or until the resident gives up."""
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + 4 * self.timeout
        await self._act("say", "/melden", None)
        while self.log.actions < MAX_ACTIONS and loop.time() < give_up_at:
            newest = self._newest_stage()
            if newest is not None and newest[1] is Stage.CONFIRMED:
                found = REFERENCE.search(newest[0].text)
                self.log.reference = found.group(0) if found else None
                return self.log
            if newest is None:
                kind, value, on = "say", "/melden", None
            else:
                kind, value = ANSWERS[newest[1]]
                on = newest[0]
            if self.log.pressed_send and (kind, value) != ("press", SEND):
                # Sent already: never start a second report, only wait for the reference.
                if not await self._wait_for(Stage.CONFIRMED):
                    self.log.notes.append("pressed Send, never told the reference")
                    self.log.notes.extend(
                        f"chat: {m.method} {m.text[:60]!r}" for m in self._chat()[-6:]
                    )
                    self.log.gave_up = True
                    return self.log
                continue
            await self._act(kind, value, on)
        self.log.gave_up = True
        self.log.notes.extend(f"chat: {m.method} {m.text[:60]!r}" for m in self._chat()[-6:])
        return self.log

    async def _act(self, kind: str, value: str, on: SentMessage | None) -> None:
        """Say or press, then wait for the next question (the answer to it)."""
        mark = len(self._chat())
        self.log.actions += 1
        self.log.notes.append(f"{kind} {value[:20]!r} at {mark}")
        if kind == "press" and on is not None:
            current = self.api.current(self.user.id, on.message_id) or {}
            rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
            if not any(button.get("text") == value for row in rows for button in row):
                # The question was closed: a pressed answer arrived. Ask where we are.
                if self.log.pressed_send:
                    await self._wait_for(Stage.CONFIRMED)
                    return
                kind, value = "say", "/melden"
            else:
                if value == SEND:
                    self.log.pressed_send = True
                pressed = self.api.press(self.user, current, text=value)
                await self._answer_after(mark, pressed)
                return
        if kind == "key" and [value] in (self.api.reply_keyboard(self.user.id) or []):
            self.api.tap_key(self.user, value)
        elif kind in ("say", "key"):  # a key no longer shown: the resident types its label
            self.api.send_text(self.user, value)
        await self._answer_after(mark)

    async def _answer_after(self, mark: int, pressed: str | None = None) -> None:
        """Wait for a question or confirmation sent after `mark`; count what never came.

        A press the bot answered only with a pop-up (a button of a question no longer
        current) needs no message: the resident then asks with /melden where they are.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while loop.time() < deadline:
            fresh = self._chat()[mark:]
            if any(stage_of(message) is not None for message in fresh):
                await asyncio.sleep(0.2)  # a question often follows a note ("Plek: ...")
                return
            failed = next((m.text for m in fresh if FAILED in m.text), "")
            shown = self._popup(pressed) if pressed is not None else ""
            if shown or failed:
                # Told that it failed, or that the button is old: try again, from where we are.
                self.log.notes.append(
                    f"{'pop-up' if shown else 'said'}: {(shown or failed)[:40]!r}"
                )
                if not self.log.pressed_send:
                    await self._act("say", "/melden", None)
                elif shown:
                    # Send again answered by a pop-up ("this button is no longer valid"): the
                    # first press was taken; wait for the reference, as a person would, before
                    # pressing anything again (it may come late: its sends can fail too).
                    await self._wait_for(Stage.CONFIRMED)
                return
            await self.api.world.sent_changed(min(1.0, deadline - loop.time()))
        if len(self._chat()) == mark:
            self.log.unanswered += 1
            self.log.notes.append("unanswered")
        else:
            self.log.stuck += 1
            self.log.notes.append("answered without a question")

    def _popup(self, pressed: str) -> str:
        """Return the text the bot showed for a press (a toast or an alert), if any."""
        answer = self.api.answered(pressed) or {}
        return str(answer.get("text") or "")

    async def _wait_for(self, stage: Stage) -> bool:
        """Wait up to the time-out until the newest question is `stage`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while loop.time() < deadline:
            newest = self._newest_stage()
            if newest is not None and newest[1] is stage:
                return True
            await self.api.world.sent_changed(deadline - loop.time())
        return False


@dataclass
class Caseworker:
    """A caseworker who claims every report that shows up in the lead group."""

    api: FakeBotApi
    user: FakeUser
    group: FakeGroup
    presses: dict[int, int] = field(default_factory=dict)
    """Presses of Claim per message id (a message is pressed at most 3 times)."""

    def claimable(self) -> list[int]:
        """Return the message ids in the group that still show a Claim button for a report
        that no message shows as claimed."""
        sent = self.api.messages(self.group.id)
        claimed = {
            found.group(0)
            for m in sent
            if CLAIMED in m.text
            for found in [REFERENCE.search(m.text)]
            if found is not None
        }
        found = []
        for message_id in sorted({m.message_id for m in sent}):
            current = self.api.current(self.group.id, message_id) or {}
            reference = REFERENCE.search(str(current.get("text", "")))
            if reference is not None and reference.group(0) in claimed:
                continue
            rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
            if any(button.get("text") == CLAIM for row in rows for button in row):
                found.append(message_id)
        return found

    async def work(self, until: asyncio.Event) -> None:
        """Claim what can be claimed every few tenths of a second until told to stop."""
        last: dict[int, float] = {}
        loop = asyncio.get_running_loop()
        while not until.is_set():
            for message_id in self.claimable():
                pressed = self.presses.get(message_id, 0)
                if pressed >= 3 or loop.time() - last.get(message_id, -99.0) < 8.0:
                    continue
                current = self.api.current(self.group.id, message_id)
                if current is None:
                    continue
                self.api.press(self.user, current, text=CLAIM)
                self.presses[message_id] = pressed + 1
                last[message_id] = loop.time()
            await asyncio.sleep(0.3)
