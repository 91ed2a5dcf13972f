"""Respondents' comuni checked against the territory: stored as ISTAT codes, with "did you mean".

A respondent based outside the territory (an association of the province with its seat in Milan) has
``comune: fuori_territorio`` (:data:`OUTSIDE_TERRITORY`): it counts in its sector, in no comune.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.questionnaire.models import Questionnaire, Response
from crassess.questionnaire.responses import validate_response
from crassess.territory.comuni import Territory, load_territory, normalise

OUTSIDE_TERRITORY = "fuori_territorio"
"""The ``respondent.comune`` of a respondent based outside the territory."""
register({"terr.outside": {"it": "Fuori territorio", "en": "Outside the territory"}})
_OUTSIDE_WORDS = {"fuori territorio", "fuori dal territorio", "fuori", "outside", "outside territory", "outside the territory"}


def is_outside(value: object) -> bool:
    """Whether a comune value says "outside the territory" (``fuori_territorio``, "Fuori territorio", "outside")."""
    return isinstance(value, str) and normalise(value.replace("_", " ")) in _OUTSIDE_WORDS


def outside_label(lang: str | None = None) -> str:
    """How :data:`OUTSIDE_TERRITORY` is shown and offered: "Fuori territorio" / "Outside the territory"."""
    return t("terr.outside", lang)


def comune_label(code: str | None, names: Mapping[str, str], lang: str | None = None) -> str | None:
    """The name of the comune ``code`` from ``names`` (ISTAT code -> name), "Fuori territorio" for a respondent
    outside the territory, else the value as it is."""
    if is_outside(code):
        return outside_label(lang)
    return names.get(code or "", code)


def territory_for(path: Path | str | None) -> Territory:
    """The territory of ``--territory FILE.csv``, else the shipped Province of Cremona."""
    if path and not Path(path).is_file():
        raise InvalidInput(problems=[Problem(str(path), "", t("file.not_found"))])
    return load_territory(Path(path) if path else None)


def comune_code(value: str | int, territory: Territory | None = None, file: str = "", place: str = "") -> str:
    """The ISTAT code of a comune given by code or name (case and accents ignored).

    Raises :class:`~crassess.errors.InvalidInput` with a "did you mean" hint when unknown. A respondent
    outside the territory gives :data:`OUTSIDE_TERRITORY`.
    """
    if is_outside(value):
        return OUTSIDE_TERRITORY
    return (territory or load_territory()).resolve(value, file, place).istat


def check_comune(response: Response, territory: Territory | None = None, file: str = "") -> Response:
    """The response with ``respondent.comune`` replaced by its ISTAT code (missing comune left as is)."""
    value = response.respondent.comune
    if value is None or not str(value).strip():
        return response
    code = comune_code(value, territory, file, "respondent.comune")
    if code == value:
        return response
    respondent = response.respondent.model_copy(update={"comune": code})
    return response.model_copy(update={"respondent": respondent})


def validate_with_comune(
    response: Response, questionnaire: Questionnaire, territory: Territory | None, file: str = ""
) -> tuple[Response, tuple[Problem, ...]]:
    """:func:`crassess.questionnaire.responses.validate_response` plus the comune check (when a territory is given);
    every problem of both at once. Returns the normalised response (comune as ISTAT code) and its warnings."""
    problems: list[Problem] = []
    if territory is not None:
        try:
            response = check_comune(response, territory, file)
        except InvalidInput as exc:
            problems += exc.problems
    try:
        checked, warnings = validate_response(response, questionnaire, file)
    except InvalidInput as exc:
        raise InvalidInput(problems=problems + list(exc.problems)) from None
    if problems:
        raise InvalidInput(problems=problems)
    return checked, warnings
