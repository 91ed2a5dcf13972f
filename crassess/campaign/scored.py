"""A campaign as the reports see it: the scored complete responses, drafts counted apart, problems.

Reading is :func:`crassess.campaign.data.load_campaign_data` (``campaign.yaml``, target overrides,
territory, comuni as ISTAT codes); this module only splits drafts off and keeps what the reports need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crassess.campaign.config import DEFAULT_MIN_N
from crassess.campaign.data import load_campaign_data
from crassess.errors import Problem
from crassess.scoring.files import ScoredResponse
from crassess.territory.comuni import Territory


@dataclass(frozen=True)
class Campaign:
    """The scored complete responses of a campaign (sorted by file), drafts (file, sector) and problems."""

    name: str
    folder: Path
    responses: tuple[ScoredResponse, ...]
    drafts: tuple[tuple[str, str | None], ...]
    problems: tuple[Problem, ...]
    territory: Territory
    synthetic: bool = False
    min_n: int = DEFAULT_MIN_N
    population: Mapping[str, int] = field(default_factory=dict)  # campaign.yaml population
    publish_public_bodies: bool = False

    def drafts_by_sector(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, sector in self.drafts:
            counts[sector or ""] = counts.get(sector or "", 0) + 1
        return counts


def load_campaign(folder: Path) -> Campaign:
    """Load, validate and score every response of ``folder``; invalid files become problems."""
    data = load_campaign_data(folder).require_responses()
    complete: list[ScoredResponse] = []
    drafts: list[tuple[str, str | None]] = []
    for r in data.responses:
        if r.response.status == "draft":
            drafts.append((str(r.file), r.sector))
        else:
            complete.append(ScoredResponse(str(r.file), r.response, r.questionnaire, r.result, r.warnings))
    config = data.campaign.config
    return Campaign(data.campaign.label, folder, tuple(complete), tuple(drafts), data.problems, data.territory,
                    config.synthetic, config.min_n, dict(config.population), config.publish_public_bodies)
