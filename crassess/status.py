"""Where a campaign stands: responses by sector and status, by comune, completeness, last import."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from crassess.campaign_data import CampaignData
from crassess.comuni import Comune
from crassess.errors import Problem

STATUSES = ("draft", "complete")


@dataclass(frozen=True)
class StatusCount:
    """Responses of one sector or comune, by status (a response without status counts as draft)."""

    key: str
    name: str
    draft: int
    complete: int

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
    by_comune: tuple[StatusCount, ...]
    without_response: tuple[Comune, ...]
    without_comune: int
    scores_complete: int
    invalid: tuple[Problem, ...]
    last_import: str | None
    last_import_from: str | None  # "provenance" or "mtime"

    @property
    def total(self) -> int:
        return sum(s.total for s in self.by_sector)

    @property
    def complete(self) -> int:
        return sum(s.complete for s in self.by_sector)

    @property
    def comuni_total(self) -> int:
        return len(self.by_comune) + len(self.without_response)

    @property
    def invalid_files(self) -> int:
        return len({p.file for p in self.invalid})


def _status_of(status: str | None) -> str:
    return status if status in STATUSES else "draft"


def _counts(pairs: list[tuple[str, str]], names: dict[str, str]) -> tuple[StatusCount, ...]:
    counter = Counter(pairs)
    keys = sorted({k for k, _ in pairs})
    return tuple(StatusCount(k, names.get(k, k), counter[(k, "draft")], counter[(k, "complete")]) for k in keys)


def campaign_status(data: CampaignData) -> CampaignStatus:
    """The status of a loaded campaign (pure: no printing, no file access)."""
    comuni = data.territory.by_code()
    sectors = [(r.sector, _status_of(r.response.status)) for r in data.responses]
    located = [(r.response.respondent.comune, _status_of(r.response.status)) for r in data.responses]
    by_comune = [(c, s) for c, s in located if c]
    seen = {c for c, _ in by_comune}
    imported = [r.response.provenance.imported_at for r in data.responses if r.response.provenance and r.response.provenance.imported_at]
    if imported:
        last, source = max(imported), "provenance"
    else:
        mtimes = [r.file.stat().st_mtime for r in data.responses if r.file.exists()]
        last = datetime.fromtimestamp(max(mtimes), timezone.utc).isoformat(timespec="seconds") if mtimes else None
        source = "mtime" if mtimes else None
    return CampaignStatus(
        name=data.campaign.config.name,
        wave=data.campaign.config.wave,
        directory=str(data.campaign.directory),
        territory=data.territory.source,
        by_sector=_counts(sectors, {}),
        by_comune=_counts(by_comune, {code: c.nome for code, c in comuni.items()}),
        without_response=tuple(c for c in data.territory.comuni if c.istat not in seen),
        without_comune=len(located) - len(by_comune),
        scores_complete=sum(1 for r in data.responses if r.result.complete),
        invalid=data.problems,
        last_import=last,
        last_import_from=source,
    )


def status_to_dict(status: CampaignStatus) -> dict[str, Any]:
    """The JSON shape of ``crassess status --json``."""

    def counts(rows: tuple[StatusCount, ...], key: str) -> list[dict[str, Any]]:
        return [{key: r.key, **({"name": r.name} if key == "istat" else {}), "draft": r.draft, "complete": r.complete, "total": r.total} for r in rows]

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
        "comuni_with_responses": len(status.by_comune),
        "comuni_total": status.comuni_total,
        "comuni_without_response": [{"istat": c.istat, "name": c.nome} for c in status.without_response],
        "responses_without_comune": status.without_comune,
        "last_import": status.last_import,
        "last_import_from": status.last_import_from,
        "problems": [str(p) for p in status.invalid],
    }
