"""Where a campaign stands: responses by sector and status, by comune, completeness, last import."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from crassess.campaign.data import CampaignData
from crassess.errors import Problem
from crassess.territory.comuni import Comune
from crassess.territory.validate import OUTSIDE_TERRITORY

STATUSES = ("draft", "complete")


@dataclass(frozen=True)
class StatusCount:
    """Responses of one sector or comune, by status (without a status a response counts as complete, as in the reports)."""

    key: str
    name: str
    draft: int
    complete: int
    sectors: tuple[tuple[str, int], ...] = ()  # per sector, for comuni

    @property
    def total(self) -> int:
        return self.draft + self.complete


@dataclass(frozen=True)
class CampaignStatus:
    name: str
    wave: str | None
    directory: str
    territory: str
    by_sector: tuple[StatusCount, ...]
    by_comune: tuple[StatusCount, ...]  # every comune with a response, drafts included
    without_response: tuple[Comune, ...]  # comuni without a complete response (as the reports count them)
    without_comune: int
    scores_complete: int  # complete responses with an overall score (what the reports average)
    invalid: tuple[Problem, ...]
    last_import: str | None
    last_import_from: str | None  # "provenance" or "mtime"
    outside_territory: int = 0  # respondents based outside the territory (comune: fuori_territorio)
    duplicates: tuple[Problem, ...] = ()  # one response id in several files: counted once

    @property
    def total(self) -> int:
        return sum(s.total for s in self.by_sector)

    @property
    def complete(self) -> int:
        return sum(s.complete for s in self.by_sector)

    @property
    def covered(self) -> tuple[StatusCount, ...]:
        """The comuni with at least one complete response (a draft alone does not cover a comune)."""
        return tuple(c for c in self.by_comune if c.complete)

    @property
    def drafts_only(self) -> tuple[StatusCount, ...]:
        return tuple(c for c in self.by_comune if not c.complete)

    @property
    def comuni_total(self) -> int:
        return len(self.covered) + len(self.without_response)

    @property
    def invalid_files(self) -> int:
        return len({p.file for p in self.invalid})


def _instant(stamp: str) -> datetime:
    """An ISO time for comparison (naive times taken as UTC; unreadable ones sort first)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _status_of(status: str | None) -> str:
    return "draft" if status == "draft" else "complete"


def _counts(rows: list[tuple[str, str, str]], names: dict[str, str], with_sectors: bool = False) -> tuple[StatusCount, ...]:
    """Counts by key of (key, sector, status) rows."""
    by_status = Counter((k, s) for k, _, s in rows)
    by_sector = Counter((k, sector) for k, sector, _ in rows)
    sectors = sorted({sector for _, sector, _ in rows})
    return tuple(
        StatusCount(
            k, names.get(k, k), by_status[(k, "draft")], by_status[(k, "complete")],
            tuple((sector, by_sector[(k, sector)]) for sector in sectors) if with_sectors else (),
        )
        for k in sorted({k for k, _, _ in rows})
    )


def campaign_status(data: CampaignData) -> CampaignStatus:
    """The status of a loaded campaign (no printing; file times are read only without provenance)."""
    comuni = data.territory.by_code()
    rows = [(r.response.respondent.comune or "", r.sector, _status_of(r.response.status)) for r in data.responses]
    by_comune = [row for row in rows if row[0] and row[0] != OUTSIDE_TERRITORY]
    outside = sum(1 for row in rows if row[0] == OUTSIDE_TERRITORY)
    seen = {c for c, _, status in by_comune if status == "complete"}
    imported = [p.imported_at for r in data.responses if (p := r.response.provenance) and p.imported_at]
    last: str | None
    source: str | None
    if imported:
        last, source = max(imported, key=_instant), "provenance"
    else:
        mtimes = [r.file.stat().st_mtime for r in data.responses if r.file.exists()]
        last = datetime.fromtimestamp(max(mtimes), timezone.utc).isoformat(timespec="seconds") if mtimes else None
        source = "mtime" if mtimes else None
    return CampaignStatus(
        name=data.campaign.config.name,
        wave=data.campaign.config.wave,
        directory=str(data.campaign.directory),
        territory=data.territory.source,
        by_sector=_counts([(sector, sector, status) for _, sector, status in rows], {}),
        by_comune=_counts(by_comune, {code: c.nome for code, c in comuni.items()}, with_sectors=True),
        without_response=tuple(c for c in data.territory.comuni if c.istat not in seen),
        without_comune=len(rows) - len(by_comune) - outside,
        scores_complete=sum(1 for r in data.responses if r.response.status != "draft" and r.result.overall is not None),
        invalid=data.problems,
        last_import=last,
        last_import_from=source,
        outside_territory=outside,
        duplicates=data.duplicates,
    )


def status_to_dict(status: CampaignStatus) -> dict[str, Any]:
    """The JSON shape of ``crassess status --json``."""

    def counts(rows: tuple[StatusCount, ...], key: str) -> list[dict[str, Any]]:
        return [
            {key: r.key, **({"name": r.name, "by_sector": dict(r.sectors)} if key == "istat" else {}),
             "draft": r.draft, "complete": r.complete, "total": r.total}
            for r in rows
        ]

    return {
        "campaign": status.name,
        "wave": status.wave,
        "directory": status.directory,
        "territory": status.territory,
        "responses": status.total,
        "complete": status.complete,
        "draft": status.total - status.complete,
        "scores_complete": status.scores_complete,
        "invalid_files": status.invalid_files,
        "by_sector": counts(status.by_sector, "sector"),
        "by_comune": counts(status.by_comune, "istat"),
        "comuni_with_responses": len(status.covered),
        "comuni_total": status.comuni_total,
        "comuni_without_response": [{"istat": c.istat, "name": c.nome} for c in status.without_response],
        "comuni_with_drafts_only": [{"istat": c.key, "name": c.name} for c in status.drafts_only],
        "responses_without_comune": status.without_comune,
        "responses_outside_territory": status.outside_territory,
        "last_import": status.last_import,
        "last_import_from": status.last_import_from,
        "problems": [str(p) for p in status.invalid],
        "duplicates": [str(p) for p in status.duplicates],
    }
