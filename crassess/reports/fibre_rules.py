"""Which answers tell fibre availability and adoption, per questionnaire (the one definition every report,
map and the demo use)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FibreRule:
    """How a questionnaire tells fibre availability (unscored context) from adoption (scored).

    ``available`` is ``None`` when availability is not asked (comuni: the town hall's line only).
    """

    available: str | None
    available_yes: tuple[str, ...]
    available_no: tuple[str, ...]
    adopted: str
    adopted_yes: tuple[str, ...]


FIBRE_RULES: dict[str, FibreRule] = {
    "impresa": FibreRule("fibra_disponibile", ("si",), ("no", "in_arrivo"), "linea_principale", ("ftth",)),
    "associazione": FibreRule("fibra_disponibile", ("si",), ("no", "in_arrivo"), "linea_sede", ("ftth",)),
    "comune": FibreRule(None, (), (), "fibra_municipio", ("ftth",)),
    "esempio": FibreRule("fibra_disponibile", ("si",), ("no",), "fibra_sede", ("si", "parziale")),
}
