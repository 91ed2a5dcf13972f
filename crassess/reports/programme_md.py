"""The programme for the Province and the Digital Center, and the digital twin, in Markdown (territory and
sector reports), with the sentences the summary quotes. Figures from :mod:`crassess.reports.programme`
(protected) and the sectors' frequency tables; nothing is counted here."""

from __future__ import annotations

from collections.abc import Sequence

from crassess.i18n import pick, register, t
from crassess.reports.disclosure import Withheld, mark_label
from crassess.reports.markdown import cell, choice_label, num, pct, sector_name, table
from crassess.reports.programme import (
    COFUNDING,
    DELIVERY,
    HORIZONS,
    READINESS_CELLS,
    TWIN_CONDITIONS,
    TWIN_FORM,
    TWIN_READY,
    TWIN_TOPICS,
    Programme,
    ServiceNeed,
    Step,
)
from crassess.reports.results import (
    Cell,
    Frequency,
    SectorAnalysis,
    Share,
    TerritoryAnalysis,
)

register({
    "report.p.title": {"it": "Programma per la Provincia e il Digital Center", "en": "Programme for the Province and the Digital Center"},
    "report.p.sector_title": {"it": "Programma del Digital Center per il settore", "en": "The Digital Center's programme for the sector"},
    "report.p.rule": {
        "it": "Ha bisogno di un servizio chi lo ha indicato tra le sue tre esigenze o ha una media sotto 50 nelle domande legate al servizio (adatte alla sua dimensione), contato una volta. Quote sui rispondenti del settore; il totale somma i settori mostrati.",
        "en": "An organisation needs a service if it named it among its three needs or averages below 50 on the questions linked to it (those suited to its size); counted once. Shares of the sector's respondents; the total adds up the sectors shown.",
    },
    "report.p.service": {"it": "Servizio", "en": "Service"},
    "report.p.total": {"it": "Totale", "en": "Total"},
    "report.p.unpublished": {"it": "Tabella non pubblicata: non si può proteggere.", "en": "Table not published: it cannot be protected."},
    "report.p.top": {"it": "**Servizi più richiesti al Digital Center** (organizzazioni che ne hanno bisogno): {items}.", "en": "**Services most needed from the Digital Center** (organisations needing them): {items}."},
    "report.p.top_item": {"it": "{service} {n}", "en": "{service} {n}"},
    "report.p.first_steps": {"it": "**Primi passi del Digital Center.** {items}", "en": "**The Digital Center's first steps.** {items}"},
    "report.p.step_item": {"it": "{i}) {service}, {horizon}: {action}.", "en": "{i}) {service}, {horizon}: {action}."},
    "report.p.delivery": {"it": "Come preferiscono ricevere i servizi", "en": "How they prefer to receive the services"},
    "report.p.cofunding": {"it": "Disponibilità a contribuire ai costi", "en": "Willingness to share the costs"},
    "report.p.answer": {"it": "Risposta", "en": "Answer"},
    "report.p.no_answer": {"it": "*Nessuna risposta*", "en": "*No answer*"},
    "report.p.freq_note": {
        "it": "Rispondenti e quota di tutti i rispondenti del settore (più risposte possibili: le quote non sommano a 100).",
        "en": "Respondents and share of all the sector's respondents (several answers allowed: the shares do not add up to 100).",
    },
    "report.p.freq_note_single": {
        "it": "Rispondenti e quota di tutti i rispondenti del settore (una sola risposta ciascuno).",
        "en": "Respondents and share of all the sector's respondents (one answer each).",
    },
    "report.p.not_shown": {"it": "Non pubblicato per: {sectors}.", "en": "Not published for: {sectors}."},
    "report.p.roadmap": {"it": "Piano del Digital Center per orizzonte", "en": "The Digital Center's road-map by horizon"},
    "report.p.roadmap_note": {
        "it": "Per orizzonte, i {top} servizi più richiesti con il primo passo da accompagnare: l'azione più prioritaria dei piani di settore legata al servizio (su almeno {n} rispondenti); l'orizzonte segue l'impegno dell'azione (basso, medio, alto).",
        "en": "Per horizon, the {top} services most needed with the first step to support: the highest-priority action of the sector road-maps linked to the service (on at least {n} respondents); the horizon follows the action's effort (low, medium, high).",
    },
    "report.p.roadmap_item": {"it": "**{service}** ({n}): {action}", "en": "**{service}** ({n}): {action}"},
    "report.p.organisations": {"it": "{n} organizzazioni", "en": "{n} organisations"},
    "report.p.organisation": {"it": "1 organizzazione", "en": "1 organisation"},
    "report.p.no_steps": {
        "it": "Servizi chiesti senza un'azione che riguardi almeno {n} rispondenti (da definire con chi li chiede): {services}.",
        "en": "Services needed without an action concerning at least {n} respondents (to be defined with those who need them): {services}.",
    },
    "report.p.none": {"it": "Nessun primo passo: nessuna azione legata a un servizio riguarda almeno {n} rispondenti.", "en": "No first step: no action linked to a service concerns at least {n} respondents."},
    "report.tw.in_sectors": {
        "it": "La forma dei dati, i temi e le condizioni per condividerli, come i servizi preferiti e la disponibilità a contribuire ai costi, sono in ciascun rapporto di settore.",
        "en": "The form of the data, its topics and the conditions for sharing it, like the preferred delivery and the willingness to share the costs, are in each sector report.",
    },
    "report.tw.title": {"it": "Gemello digitale", "en": "Digital twin"},
    "report.tw.readiness": {"it": "Disponibilità a condividere i dati", "en": "Readiness to share data"},
    "report.tw.willing": {"it": "Disponibili", "en": "Willing"},
    "report.tw.conditional": {"it": "A condizioni", "en": "On conditions"},
    "report.tw.not": {"it": "Non disponibili", "en": "Not willing"},
    "report.tw.noans": {"it": "Nessuna risposta", "en": "No answer"},
    "report.tw.readiness_note": {
        "it": "Disponibili: «Sì, senza condizioni particolari» o «Lo facciamo già»; a condizioni: «Sì, a determinate condizioni» o «Forse»; nessuna risposta: comprende «Non so». Rispondenti e quota del settore.",
        "en": "Willing: 'Yes, without particular conditions' or 'We already do'; on conditions: 'Yes, on certain conditions' or 'Maybe'; no answer includes 'Don't know'. Respondents and share of the sector.",
    },
    "report.tw.sentence": {"it": "Disponibilità a condividere i dati per un gemello digitale del territorio: {parts}.",
                           "en": "Readiness to share data for a digital twin of the territory: {parts}."},
    "report.tw.part": {"it": "{sector} {parts}", "en": "{sector} {parts}"},
    "report.tw.part_willing": {"it": "{n}{of} ({share}%) sì o già lo fanno", "en": "{n}{of} ({share}%) yes or already do"},
    "report.tw.part_conditional": {"it": "{n}{of} ({share}%) a condizioni", "en": "{n}{of} ({share}%) on conditions"},
    "report.tw.of": {"it": " su {total}", "en": " of {total}"},
    "report.tw.form": {"it": "In che forma sono i dati", "en": "The form of the data"},
    "report.tw.form_head": {"it": "Forma dei dati", "en": "Form of the data"},
    "report.tw.form_note": {
        "it": "Tutti i rispondenti dei settori a cui la domanda è posta ({n}); voci vicine unite dove una sarebbe sotto {m} rispondenti. Per settore la tabella è pubblicata solo se nessuna cifra va omessa: con la media della domanda (tabella Domande del settore) una cifra omessa si potrebbe ricalcolare.",
        "en": "All the respondents of the sectors asked ({n}); neighbouring answers joined where one would be under {m} respondents. By sector the table is published only if no figure has to be withheld: with the question's mean (the sector's Questions table) a withheld figure could be worked out.",
    },
    "report.tw.form_withheld": {
        "it": "Forma dei dati non pubblicata: alcune cifre riguarderebbero meno di {n} rispondenti e con la media della domanda si potrebbero ricalcolare.",
        "en": "Form of the data not published: some figures would describe fewer than {n} respondents and could be worked out from the question's mean.",
    },
    "report.tw.topics": {"it": "Su quali temi hanno dati digitali", "en": "Topics on which they hold digital data"},
    "report.tw.conditions": {"it": "A quali condizioni condividerebbero i dati", "en": "On what conditions they would share data"},
    "report.tw.organisations": {"it": "Organizzazioni", "en": "Organisations"},
})

TOP_SERVICES = 5  # in the summary sentence
ROADMAP_TOP = 2  # services per horizon in the territory road-map (the report stays short)
FIRST_STEPS = 3  # in the summary sentence


def _with_share(count: Cell | None, share: Share, lang: str, min_n: int) -> str:
    """``7 (38,9%)``, the mark alone when withheld, ``–`` when not published."""
    if count is None:
        return "–"
    if isinstance(count, Withheld):
        return mark_label(count, min_n, lang)
    return f"{count} ({pct(share, lang, min_n)})"


def _label(ta: TerritoryAnalysis, qid: str, value: str, lang: str) -> str:
    for sa in ta.sectors.values():
        if sa.questionnaire is not None and qid in sa.questionnaire.questions_by_id:
            return choice_label(sa.questionnaire, qid, value, lang)
    return value


def _choice_order(ta: TerritoryAnalysis, qid: str) -> list[str]:
    order: list[str] = []
    for sa in ta.sectors.values():
        qn = sa.questionnaire
        if qn is not None and qid in qn.questions_by_id:
            order += [c.value for c in qn.choices_of(qn.question(qid)) if c.value not in order]
    return order


def _frequencies(ta: TerritoryAnalysis, qid: str, sectors: Sequence[str]) -> dict[str, Frequency]:
    found = {}
    for s in sectors:
        f = next((f for f in ta.sectors[s].context if f.question_id == qid), None)
        if f is not None:
            found[s] = f
    return found


def cross_table(ta: TerritoryAnalysis, qid: str, sectors: Sequence[str], lang: str, head: str) -> list[str]:
    """A question's answers by sector (rows: its choices in questionnaire order, and no answer), each cell
    the respondents and their share of the sector; the sectors whose table is not published are named."""
    found = _frequencies(ta, qid, sectors)
    shown = [s for s, f in found.items() if f.published and f.answered is None]
    hidden = [s for s in found if s not in shown]
    if not found:
        return []
    out: list[str] = []
    if shown:
        m = ta.min_n
        rows = []
        for v in _choice_order(ta, qid):
            cells = {s: next((r for r in found[s].rows if r.value == v), None) for s in shown}
            if all(r is None for r in cells.values()):
                continue
            rows.append([_label(ta, qid, v, lang)] + [_with_share(r.count, r.share, lang, m) if r else "–" for r in cells.values()])
        rows.append([t("report.p.no_answer", lang)] + [_with_share(found[s].unanswered.count, found[s].unanswered.share, lang, m)  # type: ignore[union-attr]
                                                       for s in shown])
        note = "report.p.freq_note_single" if all(found[s].single for s in shown) else "report.p.freq_note"
        out += [table([head] + [sector_name(s, lang) for s in shown], rows), "", t(note, lang), ""]
    if hidden:
        out += [t("report.p.not_shown", lang, sectors=", ".join(sector_name(s, lang) for s in hidden)), ""]
    return out


# ---------------------------------------------------------------- programme


def _orgs(count: Cell | None, lang: str, min_n: int) -> str:
    """``12 organizzazioni``, or the mark of a withheld count."""
    if not isinstance(count, int):
        return cell(count, min_n, lang)
    return t("report.p.organisation", lang) if count == 1 else t("report.p.organisations", lang, n=count)


def _service_label(svc: ServiceNeed, lang: str) -> str:
    return pick(svc.label, lang)


def _roadmap(pr: Programme, sector: str | None = None) -> dict[str, list[tuple[ServiceNeed, Step]]]:
    """Per horizon, the most needed services (of ``sector``, else the territory) with a first step there (at
    most ``ROADMAP_TOP``), each service once: in the first horizon with room for it."""
    out: dict[str, list[tuple[ServiceNeed, Step]]] = {h: [] for h in HORIZONS}
    listed: set[str] = set()
    for h in HORIZONS:
        for svc in pr.ranked(sector):
            step = pr.first_steps(svc, sector).get(h)
            needed = svc.total if sector is None else svc.cells.get(sector)
            if needed != 0 and step is not None and svc.service not in listed and len(out[h]) < ROADMAP_TOP:
                out[h].append((svc, step))
                listed.add(svc.service)
    return out


def programme_sentences(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """The five services most organisations need, with their numbers, and the first three steps of the
    road-map (short term first); from the protected figures only (a withheld count is never quoted)."""
    pr = ta.programme
    if pr is None or not pr.published:
        return []
    top = [s for s in pr.ranked() if isinstance(s.total, int) and s.total > 0][:TOP_SERVICES]
    out = []
    if top:
        items = ", ".join(t("report.p.top_item", lang, service=_service_label(s, lang), n=s.total) for s in top)
        out.append(t("report.p.top", lang, items=items))
    steps = [(svc, step) for h in HORIZONS for svc, step in _roadmap(pr)[h]][:FIRST_STEPS]
    if steps:
        items = " ".join(t("report.p.step_item", lang, i=i, service=_service_label(svc, lang), horizon=t(f"report.h.{step.horizon}", lang),
                           action=pick(step.action, lang).rstrip(".")) for i, (svc, step) in enumerate(steps, 1))
        out.append(t("report.p.first_steps", lang, items=items))
    return out


def _needs_table(pr: Programme, sectors: Sequence[str], lang: str, min_n: int, with_total: bool) -> list[str]:
    ranked = pr.ranked(None if with_total else sectors[0])
    heads = [t("report.p.service", lang)] + [sector_name(s, lang) for s in sectors]
    heads += [t("report.p.total", lang)] if with_total else []
    rows = []
    for svc in ranked:
        row = [_service_label(svc, lang)] + [_with_share(svc.cells.get(s), svc.shares.get(s), lang, min_n) for s in sectors]
        rows.append(row + ([cell(svc.total, min_n, lang)] if with_total else []))
    return [table(heads, rows), "", t("report.p.rule", lang), ""]


def programme_section(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """The territory's programme: the services by organisations in need and sector, how to deliver them,
    co-funding, and the Digital Center's road-map by horizon."""
    pr, m = ta.programme, ta.min_n
    if pr is None or not pr.sectors:
        return []
    out = [f"## {t('report.p.title', lang)}", ""]  # its lead sentence is in the Sintesi
    if not pr.published:
        out += [t("report.p.unpublished", lang), ""]
    else:
        sectors = [s for s in pr.sectors if pr.sector_published.get(s)]
        out += _needs_table(pr, sectors, lang, m, True)
    # delivery and co-funding are in each sector report: the territory report keeps to what the Province decides
    return out + (_roadmap_lines(pr, None, lang, m) if pr.published else [])


def _roadmap_lines(pr: Programme, sector: str | None, lang: str, m: int) -> list[str]:
    """The road-map by horizon (of ``sector``, else the territory), the services without a first step, the note."""
    out = [f"### {t('report.p.roadmap', lang)}", ""]
    road = _roadmap(pr, sector)
    if not any(road.values()):
        return out + [t("report.p.none", lang, n=m), ""]

    def needed(svc: ServiceNeed) -> Cell | None:
        return svc.total if sector is None else svc.cells.get(sector)

    for h in HORIZONS:
        if road[h]:
            out += [f"**{t(f'report.h.{h}', lang).capitalize()}**", ""]
            out += [f"- {t('report.p.roadmap_item', lang, service=_service_label(svc, lang), n=_orgs(needed(svc), lang, m), action=pick(step.action, lang))}"
                    for svc, step in road[h]]
            out.append("")
    without = [_service_label(svc, lang) for svc in pr.ranked(sector)
               if isinstance(needed(svc), int) and needed(svc) and not pr.first_steps(svc, sector)]  # type: ignore[operator]
    if without:
        out += [t("report.p.no_steps", lang, n=m, services=", ".join(without)), ""]
    return out + [t("report.p.roadmap_note", lang, top=ROADMAP_TOP, n=m), ""]


def _question_parts(ta: TerritoryAnalysis, sectors: Sequence[str], lang: str, parts: Sequence[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    for qid, key in parts:
        part = cross_table(ta, qid, sectors, lang, t("report.p.answer", lang))
        if part:
            out += [f"### {t(key, lang)}", ""] + part
    return out


def sector_programme_section(sa: SectorAnalysis, ta: TerritoryAnalysis, lang: str) -> list[str]:
    """One sector's programme (services its organisations need, first steps from its road-map, delivery,
    co-funding) and its digital twin."""
    pr, s, m = ta.programme, sa.sector, ta.min_n
    if pr is None or s not in pr.sectors:
        return []
    out = [f"## {t('report.p.sector_title', lang)}", ""]
    if not pr.sector_published.get(s):
        out += [t("report.p.unpublished", lang), ""]
    else:
        out += _needs_table(pr, [s], lang, m, False) + _roadmap_lines(pr, s, lang, m)
    out += _question_parts(ta, [s], lang, ((DELIVERY, "report.p.delivery"), (COFUNDING, "report.p.cofunding")))
    return out + twin_section(ta, lang, [s])


# ---------------------------------------------------------------- digital twin


def twin_sentences(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """How many organisations are ready to share data for a digital twin, by sector (shown figures only)."""
    pr = ta.programme
    if pr is None:
        return []
    parts = []
    for s in pr.sectors:
        counts = pr.readiness.get(s)
        if counts is None or not counts.published:
            continue
        said: list[str] = []
        for group in ("willing", "conditional"):
            n = counts.cells.get(group)
            if isinstance(n, int):  # the sector's total with the first figure shown
                of = "" if said else t("report.tw.of", lang, total=ta.sectors[s].n)
                said.append(t(f"report.tw.part_{group}", lang, n=n, of=of, share=num(counts.shares[group], lang)))  # type: ignore[arg-type]
        if said:
            parts.append(t("report.tw.part", lang, sector=sector_name(s, lang), parts=", ".join(said)))
    return [t("report.tw.sentence", lang, parts="; ".join(parts))] if parts else []


def _form(ta: TerritoryAnalysis, pr: Programme, sectors: Sequence[str], lang: str) -> list[str]:
    m = ta.min_n
    head = [f"### {t('report.tw.form', lang)}", ""]
    if len(sectors) == 1:  # a sector's own table: whole or not at all
        f = pr.form.get(sectors[0], "absent")
        if f == "absent":
            return []
        if f is None:
            return head + [t("report.tw.form_withheld", lang, n=m), ""]
        return head + cross_table_of(ta, TWIN_FORM, {sectors[0]: f}, lang, t("report.tw.form_head", lang))  # type: ignore[dict-item]
    total = pr.form_total
    if total is None:
        return head + [t("report.tw.form_withheld", lang, n=m), ""] if pr.form else []
    if not total.published:
        return head + [t("report.p.unpublished", lang), ""]
    rows = [[" / ".join(_label(ta, TWIN_FORM, v, lang) for v in key.split("+")) if key != "noans" else t("report.p.no_answer", lang),
             cell(value, m, lang), pct(total.shares[key], lang, m)] for key, value in total.cells.items()]
    base = sum(ta.sectors[s].n for s in pr.form)
    return head + [table([t("report.tw.form_head", lang), t("report.tw.organisations", lang), t("report.c.share", lang)], rows), "",
                   t("report.tw.form_note", lang, n=base, m=m), ""]


def cross_table_of(ta: TerritoryAnalysis, qid: str, found: dict[str, Frequency], lang: str, head: str) -> list[str]:
    """:func:`cross_table` for frequencies not among the sectors' context tables (the form of the data)."""
    m = ta.min_n
    rows = [[_label(ta, qid, v, lang)] + [_with_share(r.count, r.share, lang, m) for s in found for r in found[s].rows if r.value == v]
            for v in _choice_order(ta, qid)]
    rows.append([t("report.p.no_answer", lang)] + [_with_share(f.unanswered.count, f.unanswered.share, lang, m)  # type: ignore[union-attr]
                                                   for f in found.values()])
    return [table([head] + [sector_name(s, lang) for s in found], rows), "", t("report.p.freq_note_single", lang), ""]


def twin_section(ta: TerritoryAnalysis, lang: str, sectors: Sequence[str] | None = None) -> list[str]:
    """Readiness to share data by sector; for one sector (its report) also the form of the data, its topics and
    the conditions asked (the territory report points there, to stay short)."""
    pr = ta.programme
    if pr is None or not any(f.question_id == TWIN_READY for s in pr.sectors for f in ta.sectors[s].context):
        return []
    sectors = list(pr.sectors if sectors is None else sectors)
    m = ta.min_n
    out = [f"## {t('report.tw.title', lang)}", ""]
    # the territory's lead sentence (twin_sentences) is in its Sintesi
    rows, hidden = [], []
    for s in sectors:
        counts = pr.readiness.get(s)
        if counts is None or not counts.published:
            hidden += [s] if counts is not None else []
            continue
        rows.append([sector_name(s, lang)] + [_with_share(counts.cells[g], counts.shares[g], lang, m) for g in READINESS_CELLS])
    if rows:
        heads = [t("report.c.sector", lang)] + [t(f"report.tw.{g}", lang) for g in READINESS_CELLS]
        out += [f"### {t('report.tw.readiness', lang)}", ""]
        out += [table(heads, rows), "", t("report.tw.readiness_note", lang), ""]
    if hidden:
        out += [t("report.p.not_shown", lang, sectors=", ".join(sector_name(s, lang) for s in hidden)), ""]
    if len(sectors) > 1:
        return out + [t("report.tw.in_sectors", lang), ""]
    out += _form(ta, pr, sectors, lang)
    out += _question_parts(ta, sectors, lang, ((TWIN_TOPICS, "report.tw.topics"), (TWIN_CONDITIONS, "report.tw.conditions")))
    return out
