"""The rich rendering of ``crassess status``."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crassess.campaign.data import sector_label
from crassess.campaign.status import CampaignStatus, StatusCount
from crassess.i18n import fmt_number, register, t

register({
    "st.title": {"it": "Campagna {name}", "en": "Campaign {name}"},
    "st.wave": {"it": "rilevazione {wave}", "en": "wave {wave}"},
    "st.sector": {"it": "Settore", "en": "Sector"},
    "st.comune": {"it": "Comune", "en": "Comune"},
    "st.draft": {"it": "Bozze", "en": "Drafts"},
    "st.complete": {"it": "Complete", "en": "Complete"},
    "st.total": {"it": "Totale", "en": "Total"},
    "st.responses": {"it": "Risposte: {total} (complete: {complete}, bozze: {draft}); complete con punteggio complessivo: {scores}",
                     "en": "Responses: {total} (complete: {complete}, drafts: {draft}); complete with an overall score: {scores}"},
    "st.coverage": {"it": "Comuni con almeno una risposta completa: {with_} su {total} ({share}%)",
                    "en": "Comuni with at least one complete response: {with_} of {total} ({share}%)"},
    "st.none": {"it": "Comuni senza risposte complete ({n}): {names}", "en": "Comuni without a complete response ({n}): {names}"},
    "st.drafts_only": {"it": "di cui con sole bozze ({n}): {names}", "en": "of which with drafts only ({n}): {names}"},
    "st.duplicates": {"it": "Stessa risposta in più file: {n} (contata una volta; dettagli sotto)",
                      "en": "Same response in several files: {n} (counted once; details below)"},
    "st.no_comune": {"it": "Risposte senza comune: {n}", "en": "Responses without a comune: {n}"},
    "st.outside": {"it": "Risposte di rispondenti con sede fuori dal territorio: {n}", "en": "Responses from respondents based outside the territory: {n}"},
    "st.last_import": {"it": "Ultima importazione: {when} ({source})", "en": "Last import: {when} ({source})"},
    "st.source.provenance": {"it": "dai file importati", "en": "from imported files"},
    "st.source.mtime": {"it": "data di modifica dei file", "en": "file modification time"},
    "st.no_import": {"it": "Nessuna risposta ancora", "en": "No response yet"},
    "st.invalid": {"it": "File di risposta non validi: {n} (dettagli sotto)", "en": "Invalid response files: {n} (details below)"},
})


def _table(first: str, rows: tuple[StatusCount, ...], lang: str, with_code: bool = False) -> Table:
    sectors = [s for s, _ in rows[0].sectors] if rows and with_code else []
    head = [t("st.comune", lang), "ISTAT", *(sector_label(s, lang) for s in sectors)] if with_code else [first]
    table = Table(*head, t("st.draft", lang), t("st.complete", lang), t("st.total", lang))
    for r in rows:
        first_cells = [r.name, r.key, *(str(n) for _, n in r.sectors)] if with_code else [sector_label(r.key, lang)]
        table.add_row(*first_cells, str(r.draft), str(r.complete), str(r.total))
    return table


def render_status(status: CampaignStatus, lang: str) -> RenderableType:
    title = t("st.title", lang, name=status.name) + (f" – {t('st.wave', lang, wave=status.wave)}" if status.wave else "")
    with_ = len(status.covered)
    share = fmt_number(100 * with_ / status.comuni_total if status.comuni_total else None, lang)
    parts: list[RenderableType] = [
        Text(title, style="bold"),
        Text(t("st.responses", lang, total=status.total, complete=status.complete, draft=status.total - status.complete, scores=status.scores_complete)),
        _table(t("st.sector", lang), status.by_sector, lang),
        Text(t("st.coverage", lang, with_=with_, total=status.comuni_total, share=share)),
    ]
    if status.by_comune:
        parts.append(_table("", status.by_comune, lang, with_code=True))
    if status.without_response:
        names = ", ".join(c.nome for c in status.without_response)
        parts.append(Text(t("st.none", lang, n=len(status.without_response), names=names)))
    if status.drafts_only:
        names = ", ".join(c.name for c in status.drafts_only)
        parts.append(Text(t("st.drafts_only", lang, n=len(status.drafts_only), names=names)))
    if status.without_comune:
        parts.append(Text(t("st.no_comune", lang, n=status.without_comune)))
    if status.outside_territory:
        parts.append(Text(t("st.outside", lang, n=status.outside_territory)))
    if status.last_import:
        parts.append(Text(t("st.last_import", lang, when=status.last_import, source=t(f"st.source.{status.last_import_from}", lang))))
    else:
        parts.append(Text(t("st.no_import", lang)))
    if status.duplicates:
        parts.append(Text(t("st.duplicates", lang, n=len(status.duplicates)), style="yellow"))
    if status.invalid:
        parts.append(Text(t("st.invalid", lang, n=status.invalid_files), style="red"))
    return Group(*parts)
