"""Say whether every partner group, and the coordinator's, can receive reports: ready or not.

A partner is ready when its group is linked: a `chat_id` in the configuration or a link made
with the link code (stored in the database). A partner that is not ready has its reports
brought to the coordinator's group in its place; when that is not linked either, reports are
held until a group is linked (`services.holding`). `check-config` sees only the
configuration; start-up also counts the stored links, passes on what a newly configured chat
can now take, and logs the verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from config.municipality import MunicipalityConfig
from services.chain import Chain
from services.container import Services
from services.holding import release_held

log = logging.getLogger(__name__)

NOT_LINKED = "no group is linked"


@dataclass(frozen=True)
class GroupReadiness:
    """Whether one partner's group (or the coordinator's) can receive reports."""

    partner_id: str
    coordinator: bool
    chat_id: int | None

    @property
    def ready(self) -> bool:
        """Return whether the group is linked."""
        return self.chat_id is not None

    def line(self) -> str:
        """Say "ready" or "not ready, because …" for this group."""
        return "ready" if self.ready else f"not ready, because {NOT_LINKED}"


@dataclass(frozen=True)
class Readiness:
    """Every partner group's readiness, the coordinator's included, and the verdict."""

    groups: tuple[GroupReadiness, ...]

    @property
    def ready(self) -> bool:
        """Return whether every group is linked."""
        return all(group.ready for group in self.groups)

    @property
    def coordinator(self) -> GroupReadiness:
        """Return the coordinator's group."""
        return next(group for group in self.groups if group.coordinator)

    def verdict(self) -> str:
        """Say "ready", or "not ready, because …" with what happens to reports meanwhile."""
        if self.ready:
            return "ready"
        missing = [g.partner_id for g in self.groups if not g.ready and not g.coordinator]
        reasons = []
        if missing:
            reasons.append(f"{NOT_LINKED} for {', '.join(missing)}")
        if self.coordinator.ready:
            consequence = "their reports go to the coordinator group, marked"
        else:
            reasons.append("the coordinator group is not linked")
            consequence = "reports no linked group can take are held until a group is linked"
        return f"not ready, because {' and '.join(reasons)} ({consequence})"

    def describe(self) -> dict[str, Any]:
        """Return the readiness as JSON-ready data, one line per group."""
        return {
            "verdict": self.verdict(),
            "coordinator": self.coordinator.line(),
            "partners": {g.partner_id: g.line() for g in self.groups if not g.coordinator},
        }


def readiness(config: MunicipalityConfig, links: Mapping[str, int]) -> Readiness:
    """Return the readiness of every partner group given the stored links (none: config only)."""
    coordinator = config.routing.fallback
    return Readiness(
        tuple(
            GroupReadiness(
                partner.id,
                partner.id == coordinator,
                links.get(partner.id, partner.chat_id),
            )
            for partner in config.partners
        )
    )


async def check_readiness(svc: Services) -> Readiness:
    """At start-up: pass on held reports a configured chat can now take, and log readiness.

    One line per group that is not ready, then one line with the verdict.
    """
    chain = Chain(svc.config, svc.messages)
    async with svc.uow() as work:
        released = await release_held(work, chain, svc.clock.now())
        found = readiness(svc.config, await work.cases.links())
    if released:
        log.info("%d held reports were passed on", released)
    for group in found.groups:
        if not group.ready:
            name = "the coordinator group" if group.coordinator else f"partner {group.partner_id}"
            log.warning("%s: %s", name, group.line())
    log.log(logging.INFO if found.ready else logging.WARNING, "Meldbot is %s", found.verdict())
    return found
