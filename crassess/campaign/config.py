"""The ``campaign.yaml`` of a campaign folder: name, wave, target overrides, territory, questionnaires."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crassess.errors import InvalidInput, NotFound, Problem, UsageError
from crassess.i18n import register, t
from crassess.questionnaire.load import flatten, is_questionnaire_file
from crassess.questionnaire.models import Questionnaire, Sector
from crassess.sources import LineMap, atomic_write_text, load_yaml
from crassess.territory.comuni import Territory, load_territory
from crassess.territory.validate import territory_for

CONFIG_NAME = "campaign.yaml"
RESPONSES_DIR = "responses"
WAVE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

register({
    "camp.not_found": {"it": "cartella della campagna non trovata", "en": "campaign folder not found"},
    "camp.not_dir": {"it": "non è una cartella: una campagna è una cartella con campaign.yaml e responses/",
                         "en": "not a folder: a campaign is a folder with campaign.yaml and responses/"},
    "camp.territory_missing": {"it": "territory: file '{path}' non trovato", "en": "territory: file '{path}' not found"},
    "camp.file_missing": {"it": "{field}: file '{path}' non trovato", "en": "{field}: file '{path}' not found"},
    "camp.questionnaire_missing": {"it": "questionnaires: file '{path}' non trovato", "en": "questionnaires: file '{path}' not found"},
    "camp.unknown_dimension": {"it": "targets.{qid}.dimensions: la dimensione '{dim}' non esiste nel questionario {qid}; dimensioni: {known}",
                                   "en": "targets.{qid}.dimensions: dimension '{dim}' does not exist in questionnaire {qid}; dimensions: {known}"},
    "camp.empty_name": {"it": "il nome della campagna è vuoto", "en": "the campaign name is empty"},
    "camp.exists": {"it": "esiste già {path}: non viene sovrascritto", "en": "{path} already exists: not overwritten"},
    "camp.bad_wave": {"it": "etichetta di rilevazione '{wave}' non valida: ammessi lettere, cifre, '-', '_' e '.' (es. 2026-T0)",
                          "en": "invalid wave label '{wave}': letters, digits, '-', '_' and '.' only (e.g. 2026-T0)"},
})


DEFAULT_MIN_N = 5  # no published figure describes fewer respondents (campaign.yaml min_n)


class TargetOverride(BaseModel):
    """Targets of one questionnaire for this campaign (they change gaps, never scores)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    overall: float | None = Field(default=None, ge=0, le=100)
    dimensions: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(default_factory=dict)


class CampaignConfig(BaseModel):
    """The content of ``campaign.yaml``; paths are relative to the campaign folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    wave: str | None = Field(default=None, pattern=WAVE_PATTERN)
    description: str | None = None
    territory: str | None = None
    boundaries: str | None = None  # GeoJSON of the territory's comuni (the ISTAT code as a property)
    zones: str | None = None  # CSV istat,zona: comuni grouped into areas for the maps
    questionnaires: list[str] = Field(default_factory=list)
    targets: dict[str, TargetOverride] = Field(default_factory=dict)
    min_n: int = Field(default=DEFAULT_MIN_N, ge=3)
    synthetic: bool = False  # generated data (the demo): reports say so
    # each comune's results published by name (many administrations publish their own maturity)
    publish_public_bodies: bool = False
    # known sizes per sector (comuni: default the comuni of the territory): response rates, interval FPC
    population: dict[Sector, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    secret: str | None = None  # the key file of the anonymised exports' pseudonyms (default pseudonym-secret.key)
    respondents: str | None = None  # the register: the respondents CSV of ``template --respondents`` (with codes)


@dataclass(frozen=True)
class Campaign:
    """A campaign folder and its configuration (defaults when there is no ``campaign.yaml``)."""

    directory: Path
    config: CampaignConfig
    config_file: Path | None
    lines: LineMap

    @property
    def responses_dir(self) -> Path:
        return self.directory / RESPONSES_DIR

    @property
    def territory_path(self) -> Path | None:
        return self.directory / self.config.territory if self.config.territory else None

    @property
    def boundaries_path(self) -> Path | None:
        return self.directory / self.config.boundaries if self.config.boundaries else None

    @property
    def zones_path(self) -> Path | None:
        return self.directory / self.config.zones if self.config.zones else None

    @property
    def respondents_path(self) -> Path | None:
        return self.directory / self.config.respondents if self.config.respondents else None

    @property
    def label(self) -> str:
        return f"{self.config.name} {self.config.wave}" if self.config.wave else self.config.name

    def place(self, *path: Any) -> str:
        line = self.lines.line(path)
        return t("place.line", line=line) if line else ".".join(str(p) for p in path)

    def questionnaire_paths(self) -> list[Path]:
        """Questionnaires listed in ``campaign.yaml`` and those in the folder's ``questionnaires/``."""
        listed = [self.directory / p for p in self.config.questionnaires]
        local = self.directory / "questionnaires"
        found = sorted(p for p in local.iterdir() if is_questionnaire_file(p)) if local.is_dir() else []
        return listed + [p for p in found if p not in listed]


def load_campaign_config(directory: Path) -> Campaign:
    """Read a campaign folder's ``campaign.yaml``; every problem of the file is reported, with its line."""
    directory = Path(directory)
    if not directory.exists():
        raise NotFound(problems=[Problem(str(directory), "", t("camp.not_found"))])
    if not directory.is_dir():
        raise InvalidInput(problems=[Problem(str(directory), "", t("camp.not_dir"))])
    path = directory / CONFIG_NAME
    if not path.is_file():
        return Campaign(directory, CampaignConfig(name=directory.resolve().name or "campagna"), None, LineMap({}))
    data, lines = load_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(problems=[Problem(str(path), t("place.line", line=1), t("data.not_mapping"))])
    problems = []
    if isinstance(data.get("wave"), (int, float)) and not isinstance(data.get("wave"), bool):
        data = {**data, "wave": str(data["wave"])}  # "wave: 2026" is a label, not a number
    if "name" in data and not str(data["name"] or "").strip():
        problems.append(Problem(str(path), t("place.line", line=lines.line(("name",)) or 1), "name: " + t("camp.empty_name")))
        data = {**data, "name": "-"}
    try:
        config = CampaignConfig.model_validate(data)
    except ValidationError as exc:
        problems += _wave_messages(flatten(exc, str(path), lines, data), data)
    if problems:
        raise InvalidInput(problems=problems)
    campaign = Campaign(directory, config, path, lines)
    territory = campaign.territory_path
    if territory is not None and not territory.is_file():
        problems.append(Problem(str(path), campaign.place("territory"), t("camp.territory_missing", path=config.territory)))
    for key in ("boundaries", "zones", "respondents"):
        name = getattr(config, key)
        if name is not None and not (directory / name).is_file():
            problems.append(Problem(str(path), campaign.place(key), t("camp.file_missing", field=key, path=name)))
    for i, name in enumerate(config.questionnaires):
        if not (directory / name).is_file():
            problems.append(Problem(str(path), campaign.place("questionnaires", i), t("camp.questionnaire_missing", path=name)))
    if problems:
        raise InvalidInput(problems=problems)
    return campaign


def _wave_messages(problems: list[Problem], data: dict[str, Any]) -> list[Problem]:
    """A clearer message than the generic pattern error for the wave label."""
    out = []
    for p in problems:
        if p.message.startswith("wave:") and "wave" in data:
            p = Problem(p.file, p.place, "wave: " + t("camp.bad_wave", wave=data["wave"]))
        out.append(p)
    return out


def apply_targets(campaign: Campaign, questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with this campaign's target overrides; unknown dimensions are located errors."""
    override = campaign.config.targets.get(questionnaire.id)
    if override is None:
        return questionnaire
    known = questionnaire.dimensions_by_id
    problems = [
        Problem(str(campaign.config_file), campaign.place("targets", questionnaire.id, "dimensions", dim),
                t("camp.unknown_dimension", qid=questionnaire.id, dim=dim, known=", ".join(known)))
        for dim in override.dimensions
        if dim not in known
    ]
    if problems:
        raise InvalidInput(problems=problems)
    return questionnaire.retargeted(override.overall, override.dimensions)


def init_campaign(directory: Path, name: str, wave: str | None = None) -> Path:
    """Create a campaign folder with ``campaign.yaml`` and ``responses/``; never overwrites."""
    directory = Path(directory)
    path = directory / CONFIG_NAME
    if path.exists():
        raise UsageError(problems=[Problem(str(path), "", t("camp.exists", path=path))])
    if not name.strip():
        raise UsageError(problems=[Problem("--name", "", t("camp.empty_name"))])
    if wave is not None and not re.match(WAVE_PATTERN, wave):
        raise UsageError(problems=[Problem("--wave", "", t("camp.bad_wave", wave=wave))])
    body: dict[str, Any] = {"name": name}
    if wave:
        body["wave"] = wave
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False) + _TEMPLATE_TAIL
    (directory / RESPONSES_DIR).mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    return path


_TEMPLATE_TAIL = """\
# territory: comuni.csv          # another territory: CSV with columns istat,nome
# boundaries: comuni.geojson     # its comuni's boundaries for the maps (GeoJSON, ISTAT code as a property)
# zones: zone.csv                # comuni grouped into zones for the maps: CSV with columns istat,zona
# questionnaires:                # questionnaire files of this campaign (default: by id)
#   - questionnaires/impresa.yaml
# targets:                       # target overrides (change gaps, not scores)
#   impresa:
#     overall: 70
#     dimensions: {connettivita: 80}
# min_n: 5                       # aggregates over fewer respondents are suppressed
# publish_public_bodies: false   # true: each comune's results published by name
# population:                    # known sizes (response rates; intervals with finite-population correction)
#   comune: 113                  # default: the comuni of the territory
#   impresa: 29000               # e.g. active businesses in the Chamber of Commerce's register
#   associazione: 40             # e.g. from the list of associations invited
# secret: ../pseudonym-secret.key # the same key in every wave: anonymised exports of the waves can be joined
# respondents: rispondenti.csv   # the register (id,name,comune,size,...): interview --respondent CODE
"""


def campaign_territory(directory: Path | None) -> Territory:
    """The territory of a campaign folder (``campaign.yaml`` ``territory:``), else the shipped one.

    A folder that does not exist yet (a first interview creates it) has the shipped territory.
    """
    if directory is None or not (Path(directory) / "campaign.yaml").is_file():
        return load_territory()
    return territory_for(load_campaign_config(Path(directory)).territory_path)
