"""The responses of a campaign folder, validated, with comuni as ISTAT codes, and scored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crassess.campaign.config import Campaign, apply_targets, load_campaign_config
from crassess.errors import CrassessError, InvalidInput, Problem
from crassess.i18n import register, t
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Questionnaire, Response
from crassess.questionnaire.responses import load_response
from crassess.scoring.engine import ScoreResult, score
from crassess.territory.comuni import Territory
from crassess.territory.validate import territory_for, validate_with_comune

register({
    "camp.sector.comune": {"it": "Comuni", "en": "Municipalities"},
    "camp.sector.associazione": {"it": "Associazioni", "en": "Associations"},
    "camp.sector.impresa": {"it": "Imprese", "en": "Businesses"},
    "camp.stray": {"it": "non letto: le risposte si leggono solo da responses/ (spostarlo lì se è una risposta)", "en": "not read: responses are read from responses/ only (move it there if it is a response)"},
    "camp.other_version": {"it": "è disponibile la versione {version}", "en": "version {version} is available"},
    "camp.duplicate": {
        "it": "la risposta {id} è in più file ({files}): contata una volta, da {kept}",
        "en": "response {id} is in several files ({files}): counted once, from {kept}",
    },
    "campaign.empty": {
        "it": "nessun file di risposta (attesi responses/*.json)",
        "en": "no response file (expected responses/*.json)",
    },
    "campaign.no_complete": {
        "it": "nessuna risposta completa (solo bozze): niente da confrontare",
        "en": "no complete response (drafts only): nothing to compare",
    },
    "camp.no_questionnaire": {
        "it": "la risposta indica il questionario {qid} versione {version}, che non è disponibile per questa campagna; elencarlo in campaign.yaml (questionnaires:) o metterlo in questionnaires/",
        "en": "the response names questionnaire {qid} version {version}, which is not available for this campaign; list it in campaign.yaml (questionnaires:) or put it in questionnaires/",
    },
})


def sector_label(sector: str, lang: str | None = None) -> str:
    """The plural name of a sector ("Imprese"), or the id itself if unknown."""
    try:
        return t(f"camp.sector.{sector}", lang)
    except KeyError:
        return sector


@dataclass(frozen=True)
class CampaignResponse:
    """One valid response of the campaign, scored with the campaign's targets."""

    file: Path
    response: Response
    questionnaire: Questionnaire
    result: ScoreResult
    warnings: tuple[Problem, ...]
    source_questionnaire: Questionnaire  # as loaded, before the campaign's target overrides

    @property
    def sector(self) -> str:
        return self.questionnaire.sector

    @property
    def response_id(self) -> str:
        return self.response.id or self.file.stem


@dataclass(frozen=True)
class CampaignData:
    """Everything read from a campaign folder: valid responses and the problems of the others."""

    campaign: Campaign
    territory: Territory
    responses: tuple[CampaignResponse, ...]
    problems: tuple[Problem, ...]
    questionnaires: tuple[Questionnaire, ...]
    duplicates: tuple[Problem, ...] = ()  # the same response id in several files: counted once, said so
    ignored: tuple[Problem, ...] = ()  # JSON files outside responses/, not read (said, never counted)

    def require_valid(self) -> CampaignData:
        """Self, or :class:`InvalidInput` listing every problem (exports and comparisons need all files)."""
        if self.problems:
            raise InvalidInput(problems=self.problems)
        return self

    def require_responses(self, complete: bool = False) -> CampaignData:
        """Self, or :class:`InvalidInput` saying the campaign has no response (or, ``complete``, only drafts)."""
        if not self.responses and not self.problems:
            raise InvalidInput(problems=[Problem(str(self.campaign.directory), "", t("campaign.empty"))])
        if complete and self.responses and all(r.response.status == "draft" for r in self.responses):
            raise InvalidInput(problems=[Problem(str(self.campaign.directory), "", t("campaign.no_complete"))])
        return self


class _Questionnaires:
    """The campaign's own questionnaires by (id, version), else the catalogue's by id."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.by_version: dict[tuple[str, str], Questionnaire] = {}
        for path in campaign.questionnaire_paths():
            qn = load_questionnaire(path)
            self.by_version.setdefault((qn.id, qn.version), qn)
        self.effective: dict[tuple[str, str], Questionnaire] = {}

    def raw(self, response: Response, file: str) -> Questionnaire:
        key = (response.questionnaire.id, response.questionnaire.version)
        if key not in self.by_version:
            try:
                qn = load_questionnaire(key[0])
            except CrassessError:
                qn = None
            if qn is None or qn.version != key[1]:
                message = t("camp.no_questionnaire", qid=key[0], version=key[1])
                if qn is not None:
                    message += "; " + t("camp.other_version", version=qn.version, file=qn.id)
                raise InvalidInput(problems=[Problem(file, "questionnaire", message)])
            self.by_version[key] = qn
        return self.by_version[key]

    def scoring(self, qn: Questionnaire) -> Questionnaire:
        key = (qn.id, qn.version)
        if key not in self.effective:
            self.effective[key] = apply_targets(self.campaign, qn)
        return self.effective[key]


def response_files(campaign: Campaign) -> list[Path]:
    """``responses/*.json``, written by the interview and the import: the only place responses are read from
    (a copy left in the campaign folder itself is never counted twice)."""
    return [f for f in sorted(campaign.responses_dir.glob("*.json")) if f.is_file() and not f.name.startswith(".")]


def stray_files(campaign: Campaign) -> tuple[Problem, ...]:
    """JSON files in the campaign folder itself: not read, and said so."""
    return tuple(Problem(str(f), "", t("camp.stray")) for f in sorted(campaign.directory.glob("*.json")) if f.is_file())


def load_campaign_data(directory: Path, territory: Path | str | None = None) -> CampaignData:
    """Read, validate and score every ``responses/*.json`` of a campaign folder.

    ``territory`` (``--territory``) wins over ``campaign.yaml``'s; invalid files give problems, not results.
    """
    campaign = load_campaign_config(directory)
    land = territory_for(territory or campaign.territory_path)
    questionnaires = _Questionnaires(campaign)
    scored: list[CampaignResponse] = []
    problems: list[Problem] = []
    for path in response_files(campaign):
        try:
            scored.append(_score_one(path, questionnaires, land))
        except CrassessError as exc:
            problems += exc.problems or [Problem(str(path), "", str(exc))]
    kept, duplicates = _once(scored)
    used = {(r.questionnaire.id, r.questionnaire.version): r.questionnaire for r in kept}
    return CampaignData(campaign, land, tuple(kept), tuple(dict.fromkeys(problems)), tuple(used[k] for k in sorted(used)),
                        tuple(duplicates), stray_files(campaign))


def _once(responses: list[CampaignResponse]) -> tuple[list[CampaignResponse], list[Problem]]:
    """Each response id once (a copied file must not count twice): the complete one, else the latest updated,
    else the first file; a warning names the files."""
    groups: dict[str, list[CampaignResponse]] = {}
    for r in responses:
        groups.setdefault(r.response.id or f"file:{r.file}", []).append(r)
    drop: set[int] = set()
    warnings = []
    for rid, group in groups.items():
        if len(group) < 2:
            continue
        best = max(group, key=lambda r: (r.response.status != "draft", _updated(r), -group.index(r)))
        drop |= {id(r) for r in group if r is not best}
        files = ", ".join(str(r.file) for r in group)
        warnings.append(Problem(str(best.file), "id", t("camp.duplicate", id=rid, files=files, kept=best.file.name)))
    return [r for r in responses if id(r) not in drop], warnings


def _updated(item: CampaignResponse) -> str:
    provenance = item.response.provenance
    return item.response.updated or (provenance.imported_at if provenance else None) or ""


def _score_one(path: Path, questionnaires: _Questionnaires, land: Territory) -> CampaignResponse:
    response = load_response(path)
    raw = questionnaires.raw(response, str(path))
    checked, warnings = validate_with_comune(response, raw, land, str(path))
    qn = questionnaires.scoring(raw)
    return CampaignResponse(path, checked, qn, score(qn, checked.answers), warnings, raw)
