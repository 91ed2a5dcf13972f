"""Loading a campaign folder: every response file scored, drafts counted, invalid files reported.

Layout: ``<campaign>/responses/*.json`` (written by the interview and the import) and, for
convenience, ``*.json`` directly in the folder. ``campaign.yaml`` may give ``name:`` (else the
folder name) and ``synthetic: true`` (the demo). Questionnaires are found by id as usual, and
also in ``<campaign>/questionnaires/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crassess.assess import QuestionnaireCache, ScoredResponse, score_response
from crassess.errors import CrassessError, InvalidInput, NotFound, Problem
from crassess.i18n import register, t
from crassess.loading import load_questionnaire
from crassess.models import Response
from crassess.responses import load_response
from crassess.sources import load_yaml

register({
    "campaign.not_found": {"it": "cartella della campagna non trovata", "en": "campaign folder not found"},
    "campaign.empty": {
        "it": "nessun file di risposta (attesi responses/*.json o *.json nella cartella)",
        "en": "no response file (expected responses/*.json or *.json in the folder)",
    },
    "campaign.no_questionnaire": {
        "it": "la risposta indica il questionario '{qid}', che non è disponibile: metterne il file YAML in {folder} o in una cartella di CRASSESS_PATH",
        "en": "the response names questionnaire '{qid}', which is not available: put its YAML file in {folder} or in a folder of CRASSESS_PATH",
    },
    "campaign.bad_name": {"it": "'name' deve essere un testo", "en": "'name' must be a text"},
})


@dataclass(frozen=True)
class Campaign:
    """The scored complete responses of a campaign (sorted by file), drafts (file, sector) and problems."""

    name: str
    folder: Path
    responses: tuple[ScoredResponse, ...]
    drafts: tuple[tuple[str, str | None], ...]
    problems: tuple[Problem, ...]
    synthetic: bool = False

    def drafts_by_sector(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, sector in self.drafts:
            counts[sector or ""] = counts.get(sector or "", 0) + 1
        return counts


def campaign_files(folder: Path) -> list[Path]:
    files = sorted((folder / "responses").glob("*.json")) + sorted(folder.glob("*.json"))
    return [f for f in files if f.is_file()]


def _settings(folder: Path) -> tuple[str, bool]:
    path = folder / "campaign.yaml"
    if not path.is_file():
        return folder.resolve().name, False
    data, _ = load_yaml(path)
    data = data if isinstance(data, dict) else {}
    name = data.get("name", folder.resolve().name)
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(problems=[Problem(str(path), "name", t("campaign.bad_name"))])
    return name.strip(), bool(data.get("synthetic", False))


def _local_questionnaires(folder: Path, cache: QuestionnaireCache) -> None:
    qdir = folder / "questionnaires"
    for path in sorted(qdir.glob("*.y*ml")) if qdir.is_dir() else []:
        questionnaire = load_questionnaire(path)
        cache.loaded.setdefault(questionnaire.id, questionnaire)


def _sector_of(response: Response, file: str, cache: QuestionnaireCache) -> str | None:
    try:
        return cache.for_response(response, file).sector
    except CrassessError:
        return None


def load_campaign(folder: Path) -> Campaign:
    """Load, validate and score every response of ``folder``; invalid files become problems."""
    if not folder.is_dir():
        raise NotFound(problems=[Problem(str(folder), "", t("campaign.not_found"))])
    name, synthetic = _settings(folder)
    files = campaign_files(folder)
    if not files:
        raise InvalidInput(problems=[Problem(str(folder), "", t("campaign.empty"))])
    cache = QuestionnaireCache()
    _local_questionnaires(folder, cache)
    scored: list[ScoredResponse] = []
    drafts: list[tuple[str, str | None]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            response = load_response(path)
            if response.status == "draft":
                drafts.append((str(path), _sector_of(response, str(path), cache)))
                continue
            if _sector_of(response, str(path), cache) is None:
                qid = response.questionnaire.id
                problems.append(Problem(str(path), "questionnaire", t("campaign.no_questionnaire", qid=qid, folder=folder / "questionnaires")))
                continue
            scored.append(score_response(path, cache))
        except CrassessError as exc:
            problems += exc.problems or [Problem(str(path), "", str(exc))]
    return Campaign(name, folder, tuple(scored), tuple(drafts), tuple(problems), synthetic)
