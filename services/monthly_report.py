"""Post the council report of last month to the coordinator's own chat, once per month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from reports.insight import Period
from reports.models import Language
from services.chain import Chain
from services.container import Services
from storage.timestamps import to_text

MONTHLY_FROM_HOUR = 7
"""The month's report is posted from 07:00 local on the first day of the next month."""


@dataclass(frozen=True)
class MonthlyPost:
    """The last month's council report, claimed for posting to the coordinator's chat."""

    chat_id: int
    language: Language
    period: Period

    @property
    def month(self) -> str:
        return f"{self.period.start:%Y-%m}"


async def claim_monthly_report(svc: Services) -> MonthlyPost | None:
    """Return last month's report to post now, claimed so no other run posts it; None when the
    monthly report is off, the coordinator's own chat is not linked, it is too early, or the
    month was posted already."""
    if not svc.config.insight.monthly_report:
        return None
    now = svc.clock.now().astimezone(svc.config.municipality.zone)
    if now.day == 1 and now.hour < MONTHLY_FROM_HOUR:
        return None
    period = Period.month_of(now.date().replace(day=1) - timedelta(days=1))
    chain = Chain(svc.config, svc.messages)
    where = chain.destination(chain.coordinator, await svc.cases.links())
    if where is None or where.stand_in:
        return None
    post = MonthlyPost(where.chat_id, where.language, period)
    if await svc.insight.posted(post.month):
        return None
    if not await svc.insight.claim_post(post.month, to_text(now)):
        return None
    return post


async def release_monthly_report(svc: Services, post: MonthlyPost) -> None:
    """The post failed: let the next run try the month again."""
    await svc.insight.release_post(post.month)
