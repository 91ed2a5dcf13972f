"""Which answers tell fibre availability and adoption, per questionnaire (the one definition every report,
map and the demo use)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FibreRule:
    """How a questionnaire tells fibre availability (unscored context) from adoption (scored).

    ``available`` is ``None`` when availability is not asked (comuni: the town hall's line only).
    "Available but not adopted" is always the respondent's own answer: availability ``available_yes`` and a
    line outside ``adopted_yes`` (never open coverage data minus adoption).
    """

    available: str | None
    available_yes: tuple[str, ...]
    available_no: tuple[str, ...]
    adopted: str
    adopted_yes: tuple[str, ...]
    available_planned: tuple[str, ...] = ()  # "works announced": not available yet, kept apart from "no"


FIBRE_RULES: dict[str, FibreRule] = {
    "impresa": FibreRule("fibra_disponibile", ("si",), ("no",), "linea_principale", ("ftth",), ("in_arrivo",)),
    "associazione": FibreRule("fibra_disponibile", ("si",), ("no",), "linea_sede", ("ftth",), ("in_arrivo",)),
    "comune": FibreRule(None, (), (), "fibra_municipio", ("ftth",)),
    "esempio": FibreRule("fibra_disponibile", ("si",), ("no",), "fibra_sede", ("si", "parziale")),
}
