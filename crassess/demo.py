"""The demo: a synthetic campaign (fixed seed) over the three sector questionnaires, then every report.

The responses are written as ordinary response files and read back through the campaign loader, so the
demo exercises the same path as real data; part of them comes back through returned workbooks and part
through an online form's submissions export, both via ``crassess import``.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from crassess.errors import CrassessError, Problem, UsageError
from crassess.i18n import register, t
from crassess.questionnaire.load import load_questionnaire, shipped_dir
from crassess.questionnaire.models import (
    Question,
    Questionnaire,
    QuestionnaireRef,
    Respondent,
    Response,
)
from crassess.questionnaire.responses import check_answers, save_response
from crassess.reports.fibre_rules import FIBRE_RULES
from crassess.sources import atomic_write_bytes, atomic_write_text, read_text
from crassess.territory.comuni import Territory, load_territory
from crassess.territory.geography import EXAMPLE_ZONES

SEED = 20261125
CAMPAIGN_FOLDER = "campagna"
# sector: (questionnaire id, respondents, drafts, mean latent maturity)
PLAN: dict[str, tuple[str, int, int, float]] = {
    "comune": ("comune", 18, 1, 0.55),
    "associazione": ("associazione", 18, 0, 0.40),
    "impresa": ("impresa", 24, 1, 0.50),
}
# codes of the interview's profile lists (ATECO sections, types of association)
SUBSECTORS = {
    "comune": (None,),
    "associazione": ("categoria", "categoria", "ordine", "consorzio", "terzo_settore"),
    "impresa": ("C", "G", "F", "A", "I", "M"),
}
# ISTAT resident population on 1 January 2023 (source: crassess/data/SOURCE.md)
# contract speeds (Mbit/s) offered on each line type; a speed test measures 45-95% of it
CONTRACT_SPEEDS = {"nessuna": (0,), "adsl": (7, 20), "solo_mobile": (50, 100), "fwa": (30, 100, 100),
                   "fttb_fttc": (100, 200, 200), "ftth": (300, 1000, 1000, 2500)}
MOBILE_SIGNAL = {"nessuno": 0.5, "4g_debole": 2, "4g_buono": 5, "5g": 2}
# ATECO sections where medium and large firms are NIS2 subjects (Annexes I and II of d.lgs. 138/2024, roughly)
NIS2_SECTIONS = ("C", "D", "E", "H", "J", "Q")
# the two largest comuni get a share of associations and businesses, so per-comune figures exist
HUBS = ("019036", "019035")
ZONES_FILE = "zone_esempio.csv"
CAMPAIGN_YAML = ("# Campagna sintetica generata da `crassess demo` (seme fisso): non sono dati reali.\nname: demo\n"
                 "# zone di ESEMPIO (ogni comune al più vicino tra Crema, Cremona e Casalmaggiore): non è una suddivisione ufficiale\n"
                 f"zones: {ZONES_FILE}\n"
                 "# popolazioni di ESEMPIO (ordini di grandezza): tassi di risposta e correzione per popolazione finita\n"
                 "population: {associazione: 40, impresa: 28000}\nsynthetic: true\n")
# the demo's campaign.yaml of earlier versions: a folder holding one is still the demo's own to replace
EARLIER_YAML = (CAMPAIGN_YAML.split("# popolazioni")[0] + "synthetic: true\n",)


register({
    "demo.not_demo": {"it": "la cartella contiene una campagna che non è quella sintetica della demo: indicare un'altra cartella con -o",
                      "en": "the folder holds a campaign that is not the demo's synthetic one: give another folder with -o"},
})


def fresh_campaign_folder(folder: Path) -> None:
    """Start the demo's campaign from nothing, so that a re-run gives the same bytes as a first run (an
    earlier run's imported responses would otherwise be kept as "unchanged", with their old provenance).
    Only a folder the demo made itself (``synthetic: true``) is removed."""
    import shutil

    config = folder / "campaign.yaml"
    if not folder.exists():
        return
    if not config.is_file() or config.read_text(encoding="utf-8", errors="replace") not in (CAMPAIGN_YAML, *EARLIER_YAML):
        raise UsageError(problems=[Problem(str(folder), "", t("demo.not_demo"))])
    shutil.rmtree(folder)


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _answer(rng: random.Random, qn: Questionnaire, q: Question, p: float) -> Any:
    """A plausible answer for latent maturity ``p`` in [0, 1]."""
    if q.allow_dk and rng.random() < 0.05:
        return "dk"
    if q.allow_na and rng.random() < 0.04:
        return "na"
    choices = qn.choices_of(q)
    if q.type == "select_one":
        if qn.is_scored(q):
            return min(choices, key=lambda c: abs((c.score or 0) / 100 - p)).value
        return rng.choice(choices).value
    if q.type == "select_multiple":
        plain = [c for c in choices if not c.exclusive]
        exclusive = [c for c in choices if c.exclusive]
        if qn.is_scored(q):
            chosen = [c.value for c in plain if rng.random() < p]
        else:
            chosen = _popular(rng, f"{qn.id}:{q.id}", [c.value for c in plain], rng.randint(1, 3))
        if not chosen and exclusive:
            return [exclusive[0].value]
        return chosen or [plain[0].value]
    if q.type in ("integer", "decimal"):
        return _number(rng, q, p)
    return None


def _popular(rng: random.Random, key: str, values: list[str], k: int) -> list[str]:
    """``k`` values drawn without replacement, some far more popular than others (fixed per question)."""
    weights = [1.0 / (1 + i) for i in range(len(values))]
    random.Random(key).shuffle(weights)
    weights = [0.1 if v == "altro" else w for v, w in zip(values, weights)]
    pool, chosen = list(zip(values, weights)), []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return sorted(chosen, key=values.index)


@dataclass(frozen=True)
class Site:
    """What the demo knows of a respondent besides its latent maturity, so that its answers agree with
    its profile and with the synthetic indicators file (no FTTH line where the comune has no coverage)."""

    sector: str
    coverage: float  # % of the comune's addresses with FTTH, as in the indicators file
    population: int  # inhabitants of the comune
    size: int  # the profile's size: inhabitants, members or employees
    subsector: str | None


Rule = Callable[[Site, dict[str, Any], random.Random], Any]


def _staff(site: Site, answers: dict[str, Any], rng: random.Random) -> int:
    """A comune has about 6.5 employees per 1,000 inhabitants (at least one): Ticengo (420) 3 or 4, Cremona some 460."""
    return max(1, round(1 + site.population * 0.0065 * math.exp(rng.gauss(0, 0.2))))


def _association_staff(site: Site, answers: dict[str, Any], rng: random.Random) -> int:
    return max(0, round(site.size / 80 * math.exp(rng.gauss(0, 0.5))))


def _coverage_band(site: Site, answers: dict[str, Any], rng: random.Random) -> str:
    c = site.coverage
    return "quasi_tutti" if c > 90 else "maggioranza" if c >= 50 else "minoranza" if c >= 10 else "quasi_nessuno"


def _fibre_here(site: Site, answers: dict[str, Any], rng: random.Random) -> str:
    """Fibre at the address with the probability of the comune's coverage."""
    if rng.random() < site.coverage / 100:
        return "si"
    return "in_arrivo" if rng.random() < 0.25 else "no"


def _line(site: Site, answers: dict[str, Any], rng: random.Random) -> str | None:
    """FTTH only where fibre is available (the town hall a little more often than the comune's average
    address), taken up by six in ten of those who have it; otherwise the cabinet or radio most of the time."""
    current = answers.get(FIBRE_RULES[site.sector].adopted)
    if current in (None, "dk", "na"):
        return current
    available = answers.get("fibra_disponibile") == "si" if site.sector != "comune" else rng.random() < site.coverage / 100 + 0.15
    if available and rng.random() < 0.6:
        return "ftth"
    if current in ("ftth", "fwa", "fttb_fttc"):
        return rng.choice(("fttb_fttc", "fttb_fttc", "fwa"))
    # a town hall, or a business of ten or more, has at least a copper line
    return "adsl" if current == "nessuna" and (site.sector == "comune" or site.size >= 10) else current


def _contract_speed(site: Site, answers: dict[str, Any], rng: random.Random) -> int | None:
    line = answers.get(FIBRE_RULES[site.sector].adopted)
    return rng.choice(CONTRACT_SPEEDS[line]) if line in CONTRACT_SPEEDS else None


def _measured_speed(site: Site, answers: dict[str, Any], rng: random.Random) -> float | None:
    contract = next((answers[q] for q in ("banda_municipio", "velocita_sede", "velocita") if q in answers), None)
    if not isinstance(contract, (int, float)):
        contract = _contract_speed(site, answers, rng)
    return round(contract * rng.uniform(0.45, 0.95), 1) if contract else None


def _mobile(site: Site, answers: dict[str, Any], rng: random.Random) -> str:
    return rng.choices(list(MOBILE_SIGNAL), weights=list(MOBILE_SIGNAL.values()))[0]


def _nis2(site: Site, answers: dict[str, Any], rng: random.Random) -> str:
    if site.size >= 50 and site.subsector in NIS2_SECTIONS:
        return rng.choices(("registrata", "non_registrata", "dk"), weights=(7, 2, 1))[0]
    return rng.choices(("esclusa", "fornitore", "dk"), weights=(8, 1, 1))[0]


def _not_below(size: int) -> Rule:
    """Not applicable below ``size`` (e.g. EAA accessibility for micro firms, staff measures for one person)."""
    return lambda site, answers, rng: "na" if site.size < size else None


def _locality(site: Site) -> str | None:
    """Where the premises are (associations, businesses: about a third outside the main town) or, for a comune,
    its places without fibre (where coverage is under half). Drawn without the random generator, so that
    every other synthetic answer stays as it was."""
    if site.sector == "comune":
        return "case sparse e cascine" if site.coverage < 50 else None
    return "zona artigianale" if (site.size * 7 + round(site.coverage * 10)) % 10 < 3 else None


TEXT_RULES: dict[str, Callable[[Site], str | None]] = {"localita": _locality}

# answers fixed by the respondent's place and size rather than by its maturity; ``None`` keeps the drawn one
RULES: dict[str, Rule] = {
    "dipendenti": _staff,
    "numero_addetti": _association_staff,
    "copertura_territorio": _coverage_band,
    "fibra_disponibile": _fibre_here,
    "fibra_municipio": _line,
    "linea_sede": _line,
    "linea_principale": _line,
    "banda_municipio": _contract_speed,
    "velocita_sede": _contract_speed,
    "velocita": _contract_speed,
    "velocita_misurata": _measured_speed,
    "copertura_mobile": _mobile,
    "nis2_ambito": _nis2,
    "accessibilita_ecommerce": _not_below(10),
    "rete_interna": _not_below(2),
    "coinvolgimento": _not_below(2),
}


def _number(rng: random.Random, q: Question, p: float) -> float | int:
    s = q.scoring
    if s and s.bands:
        index = min(len(s.bands) - 1, int(p * len(s.bands)))
        low = s.bands[index][0]
        high = s.bands[index + 1][0] if index + 1 < len(s.bands) else low * 2 or 10
        value: float = low + rng.random() * (high - low) * 0.9
    elif s and s.min is not None and s.max is not None:
        value = s.min + p * (s.max - s.min)
    else:
        value = rng.randint(2, 60)
    return round(value) if q.type == "integer" else round(value, 1)


def synthesise(qn: Questionnaire, rng: random.Random, base: float, site: Site | None = None) -> dict[str, Any]:
    """Answers in questionnaire order, respecting skip logic and agreeing with ``site``; invalid ones are
    dropped by the real checks."""
    offsets = {d.id: rng.gauss(0, 0.12) for d in qn.dimensions}
    level = _clamp(rng.gauss(base, 0.18))
    answers: dict[str, Any] = {}
    for q in qn.questions:
        # only answers of relevant questions are kept, so ``answers`` is what relevance sees
        if q.relevant_expr is not None and not q.relevant_expr.evaluate(answers):
            continue
        if q.type == "text":
            if site is not None and q.id in TEXT_RULES and (text := TEXT_RULES[q.id](site)):
                answers[q.id] = text
            continue
        p = _clamp(level + offsets.get(q.dimension or "", 0) + rng.gauss(0, 0.15))
        value = _answer(rng, qn, q, p)
        if value is not None:
            answers[q.id] = value
        rule = RULES.get(q.id)
        if site is not None and rule is not None and (value not in ("dk", "na") or q.id in ("dipendenti", "numero_addetti")):
            fixed = rule(site, answers, rng)
            if fixed is not None:
                answers[q.id] = fixed
    checked = check_answers(qn, answers)
    bad = {p.place.split()[-1] for p in checked.problems}
    return {k: v for k, v in checked.answers.items() if k not in bad}


@lru_cache(maxsize=1)
def populations() -> Mapping[str, int]:
    """Inhabitants per comune (ISTAT code), ISTAT 1 January 2023 (the shipped population table)."""
    from crassess.territory.geography import load_population

    return load_population()


def coverage(territory: Territory, seed: int = SEED) -> dict[str, float]:
    """Synthetic FTTH coverage per comune (%, one decimal), the figure the indicators file publishes."""
    rng = random.Random(seed + 1)
    return {c.istat: round(rng.uniform(70, 95) if c.nome in ("Cremona", "Crema", "Casalmaggiore") else rng.uniform(5, 85), 1)
            for c in territory.comuni}


def _profile(sector: str, i: int, rng: random.Random, territory: Territory, used: set[str]) -> Respondent:
    if sector == "comune":
        comune = rng.choice([c for c in territory.comuni if c.istat not in used])
        used.add(comune.istat)
        return Respondent(name=f"Comune di {comune.nome}", comune=comune.istat, size=populations()[comune.istat],
                          contact=f"protocollo@comune{i:02d}.esempio.invalid", interviewer="Intervistatore demo",
                          date=f"2026-10-{1 + i % 28:02d}")
    label = {"associazione": "Associazione", "impresa": "Impresa"}[sector]
    roll = rng.random()
    comune = HUBS[0] if roll < 0.35 else HUBS[1] if roll < 0.55 else rng.choice(territory.comuni).istat
    size = max(1, int(rng.lognormvariate(2.0, 1.2) if sector == "impresa" else rng.lognormvariate(5.3, 1.0)))
    return Respondent(name=f"{label} sintetica {i:02d}", comune=comune, size=size,
                      subsector=rng.choice(SUBSECTORS[sector]), contact=f"{sector}{i:02d}@esempio.invalid",
                      interviewer="Intervistatore demo", date=f"2026-10-{1 + i % 28:02d}")


def build_responses(questionnaires: Mapping[str, Questionnaire], territory: Territory, seed: int = SEED) -> list[tuple[str, Response]]:
    """``(file name, response)`` of the synthetic campaign; the same for the same seed."""
    rng = random.Random(seed)
    ftth = coverage(territory, seed)
    people = populations()
    out: list[tuple[str, Response]] = []
    used: set[str] = set()
    for sector, (_, count, drafts, base) in PLAN.items():
        qn = questionnaires[sector]
        for i in range(1, count + drafts + 1):
            respondent = _profile(sector, i, rng, territory, used)
            istat = respondent.comune or ""
            site = Site(sector, ftth[istat], people[istat], int(respondent.size or 1), respondent.subsector)
            response = Response(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                questionnaire=QuestionnaireRef(id=qn.id, version=qn.version),
                respondent=respondent,
                answers=synthesise(qn, rng, base, site),
                status="draft" if i > count else "complete",
            )
            out.append((f"demo-{sector}-{i:02d}.json", response))
    return out


RETURNED_FOLDER = "restituiti"
RETURNED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def split_for_spreadsheets(responses: list[tuple[str, Response]]) -> tuple[list[tuple[str, Response]], list[tuple[str, Response]]]:
    """(every third complete association and business, the others)."""
    chosen = [
        (name, r) for i, (name, r) in enumerate(responses)
        if r.status == "complete" and r.questionnaire.id in ("associazione", "impresa") and i % 3 == 0
    ]
    names = {name for name, _ in chosen}
    return chosen, [(name, r) for name, r in responses if name not in names]


def route_through_spreadsheets(campaign_dir: Path, chosen: list[tuple[str, Response]],
                               questionnaires: Mapping[str, Questionnaire]) -> int:
    """Send ``chosen`` out as pre-filled workbooks, filled as a respondent would, and bring them back
    through ``crassess import`` into the campaign; returns how many were imported.

    The returned workbooks stay in ``campagna/restituiti/`` so the import can be run again by hand.
    """
    from crassess.sheets import workbook_bytes
    from crassess.spreadsheets.batch import import_files
    from crassess.spreadsheets.layout import answer_cells
    from crassess.spreadsheets.template import build_template, fill_answers

    by_id = {qn.id: qn for qn in questionnaires.values()}
    returned = campaign_dir / RETURNED_FOLDER
    for name, r in chosen:
        qn = by_id[r.questionnaire.id]
        wb = build_template(qn, "it", r.id or name, r.respondent)
        fill_answers(wb, answer_cells(qn, r.answers, "it"), "it")
        atomic_write_bytes(returned / name.replace(".json", ".xlsx"), workbook_bytes(wb))
    summary = import_files([returned], campaign_dir, workers=1, now=RETURNED_AT)
    if not summary.ok:  # the demo's own workbooks must import: anything else is a bug
        raise CrassessError(f"demo: {summary.counts['rejected']} returned workbooks rejected")
    return summary.counts["imported"] + summary.counts["unchanged"]


FORMS_FOLDER = "moduli"
SUBMISSIONS_FOLDER = "invii"


def split_for_forms(responses: list[tuple[str, Response]]) -> tuple[list[tuple[str, Response]], list[tuple[str, Response]]]:
    """(every third complete comune and business, counting from the second, the others)."""
    chosen = [
        (name, r) for i, (name, r) in enumerate(responses)
        if r.status == "complete" and r.questionnaire.id in ("comune", "impresa") and i % 3 == 1
    ]
    names = {name for name, _ in chosen}
    return chosen, [(name, r) for name, r in responses if name not in names]


def route_through_forms(campaign_dir: Path, chosen: list[tuple[str, Response]],
                        questionnaires: Mapping[str, Questionnaire]) -> int:
    """Export the XLSForm of each questionnaire, write ``chosen`` as a KoboToolbox submissions export of it
    and bring them back through ``crassess import``; returns how many were imported.

    The forms stay in ``campagna/moduli/`` and the exports in ``campagna/invii/``.
    """
    from crassess.forms.intake import import_paths
    from crassess.forms.layout import form_layout
    from crassess.forms.sample import kobo_csv
    from crassess.forms.xlsform import build_xlsform
    from crassess.sheets import workbook_bytes

    for qn in questionnaires.values():
        items = [r for _, r in chosen if r.questionnaire.id == qn.id]
        if not items:
            continue
        layout = form_layout(qn, load_territory())
        atomic_write_bytes(campaign_dir / FORMS_FOLDER / f"{qn.id}.xlsx", workbook_bytes(build_xlsform(layout)))
        atomic_write_bytes(campaign_dir / SUBMISSIONS_FOLDER / f"{qn.id}_-_all_versions_-_XML_values.csv", kobo_csv(layout, items))
    result = import_paths([campaign_dir / SUBMISSIONS_FOLDER], campaign_dir, workers=1, now=RETURNED_AT)
    if not result.ok:  # the demo's own submissions must import: anything else is a bug
        raise CrassessError(f"demo: {result.submissions.counts['rejected']} submissions rejected")
    return result.submissions.counts["imported"] + result.submissions.counts["unchanged"]


def write_campaign(folder: Path, responses: list[tuple[str, Response]]) -> None:
    """Write campaign.yaml and the response files. Responses of an older run are removed, the ones imported
    from its returned workbooks too (they are imported again): the folder belongs to the demo."""
    target = folder / "responses"
    names = {name for name, _ in responses}
    for old in sorted(target.glob("*.json")) if target.is_dir() else []:
        if old.name not in names:
            old.unlink()
    atomic_write_text(folder / "campaign.yaml", CAMPAIGN_YAML)
    atomic_write_text(folder / ZONES_FILE, read_text(EXAMPLE_ZONES))
    for name, response in responses:
        save_response(response, target / name)


INDICATORS_FILE = "indicatori-sintetici.csv"


def synthetic_indicators(territory: Territory, seed: int = SEED) -> str:
    """A synthetic open-data file (fixed seed): FTTH coverage (synthetic) and population (ISTAT 2023) per
    comune, the shape of the national broadband mapping joined by ``crassess report --indicators``."""
    ftth, people = coverage(territory, seed), populations()
    lines = ["istat;copertura_ftth_pct;popolazione"]
    lines += [f"{c.istat};{ftth[c.istat]:.1f}".replace(".", ",") + f";{people[c.istat]}" for c in territory.comuni]
    return "\n".join(lines) + "\n"


def run_demo(out: Path, options: Any = None, draw: bool = True) -> Any:
    """Build the synthetic campaign under ``out/campagna`` and write every report into ``out``."""
    from crassess.reports.audit_run import run_audit
    from crassess.reports.build import ReportOptions, run_report

    options = options or ReportOptions()
    folder = out / CAMPAIGN_FOLDER
    fresh_campaign_folder(folder)
    # the shipped questionnaires, copied into the campaign: a local ./questionnaires cannot change the demo
    questionnaires = {}
    for sector, (qid, *_) in PLAN.items():
        source = shipped_dir() / f"{qid}.yaml"
        atomic_write_text(folder / "questionnaires" / source.name, read_text(source))
        questionnaires[sector] = load_questionnaire(folder / "questionnaires" / source.name)
    responses = build_responses(questionnaires, load_territory())
    chosen, direct = split_for_spreadsheets(responses)
    online, direct = split_for_forms(direct)
    write_campaign(folder, direct)
    route_through_spreadsheets(folder, chosen, questionnaires)
    route_through_forms(folder, online, questionnaires)
    indicators = folder / INDICATORS_FILE
    atomic_write_text(indicators, synthetic_indicators(load_territory()))
    options = ReportOptions(**{**options.__dict__, "indicators": options.indicators or indicators})
    if not draw:
        options = ReportOptions(**{**options.__dict__, "draw_charts": False})
    run = run_report(folder, out, options)
    audit = run_audit(folder, out, options.lang)  # is the questionnaire measuring well? (audit.md, audit.xlsx)
    return replace(run, files=run.files + audit.files)
