"""Running ``crassess audit``: load the campaign, audit it, write ``audit.md`` and ``audit.xlsx`` atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crassess.campaign.scored import load_campaign
from crassess.errors import Problem, UsageError
from crassess.i18n import register, t
from crassess.reports.audit import CampaignAudit, audit_campaign
from crassess.reports.audit_render import audit_markdown, audit_sheets, protect
from crassess.sheets import build_workbook, workbook_bytes
from crassess.sources import atomic_write_bytes

register({
    "audit.unknown_questionnaire": {"it": "la campagna non ha risposte complete al questionario '{id}'; presenti: {known}",
                                    "en": "the campaign has no complete response to questionnaire '{id}'; present: {known}"},
})

FILES = ("audit.md", "audit.xlsx")


@dataclass(frozen=True)
class AuditRun:
    out: Path
    files: tuple[Path, ...]
    audit: CampaignAudit


def run_audit(campaign_dir: Path, out: Path | None, lang: str, *, questionnaire: str | None = None,
              draws: int = 1000, seed: int = 1) -> AuditRun:
    """Audit a campaign folder and write the two files into ``out`` (default ``reports/<campaign>/``)."""
    campaign = load_campaign(campaign_dir)
    present = sorted({r.questionnaire.id for r in campaign.responses})
    if questionnaire is not None and questionnaire not in present:
        raise UsageError(problems=[Problem("-q", "", t("audit.unknown_questionnaire", id=questionnaire,
                                                       known=", ".join(present) or "–"))])
    audit = audit_campaign(campaign, only=questionnaire, draws=draws, seed=seed)
    out = out or Path("reports") / campaign_dir.resolve().name
    md, xlsx = (out / name for name in FILES)
    protection = protect(audit)  # one report set: the two files protect the same figures together
    atomic_write_bytes(md, audit_markdown(audit, lang, protection).encode())
    atomic_write_bytes(xlsx, workbook_bytes(build_workbook(audit_sheets(audit, lang, protection))))
    return AuditRun(out, (md, xlsx), audit)
