"""The territory report (Markdown): every sector together, fibre, resistance, needs, the road-map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crassess.i18n import pick, register, t
from crassess.reports.disclosure import notes
from crassess.reports.markdown import (
    FIBRE_COLUMNS,
    cell,
    choice_label,
    fibre_cells,
    fibre_table,
    header,
    image,
    level_bands,
    md_text,
    num,
    pct,
    sector_name,
    summary_cell,
    table,
)
from crassess.reports.programme_md import programme_section, twin_section
from crassess.reports.results import Frequency, TerritoryAnalysis
from crassess.reports.sector import sector_summary_text
from crassess.reports.tally import BARRIERS, FIBRE_CATEGORIES, NEEDS, SECTORS, UNKNOWN

register({
    "report.t.resistance": {
        "it": "Atteggiamento verso il digitale e resistenza al cambiamento (dimensione «{dim}», media 0-100): {values}.",
        "en": "Attitude towards digital tools and resistance to change (dimension '{dim}', mean 0-100): {values}.",
    },
    "report.t.title": {"it": "Stato digitale del territorio: {name}", "en": "Digital state of the territory: {name}"},
    "report.t.intro": {
        "it": "La rilevazione conta **{n}** rispondenti: {comune} comuni, {associazione} associazioni e {impresa} imprese.",
        "en": "The survey counts **{n}** respondents: {comune} municipalities, {associazione} associations and {impresa} businesses.",
    },
    "report.t.excluded": {
        "it": "Non sono conteggiate {drafts} bozze e {excluded} file non validi.",
        "en": "{drafts} drafts and {excluded} invalid files are not counted.",
    },
    "report.t.compare": {"it": "I settori a confronto", "en": "The sectors side by side"},
    "report.t.compare_note": {
        "it": "Media per dimensione (0-100) e, tra parentesi, numero di rispondenti; le dimensioni con lo stesso identificativo sono confrontabili tra settori. «–»: dimensione non rilevata nel settore.",
        "en": "Mean per dimension (0-100) with the number of respondents in brackets; dimensions with the same id are comparable across sectors. '–': dimension not surveyed in the sector.",
    },
    "report.t.rank": {
        "it": "Il punteggio medio complessivo più alto è quello del settore {best} ({best_mean}), il più basso quello del settore {worst} ({worst_mean}).",
        "en": "The highest mean overall score is that of {best} ({best_mean}), the lowest that of {worst} ({worst_mean}).",
    },
    "report.t.different_questionnaires": {
        "it": "I punteggi complessivi vengono da questionari diversi per settore: il confronto più solido è quello sulle dimensioni comuni, qui sotto.",
        "en": "The overall scores come from a different questionnaire per sector: the sounder comparison is on the shared dimensions, below.",
    },
    "report.t.coverage": {"it": "Copertura della rilevazione", "en": "Survey coverage"},
    "report.t.connectivity": {"it": "Connettività", "en": "Connectivity"},
    "report.t.connectivity_note": {
        "it": "Quote di tutti i rispondenti del settore (per comune: delle associazioni e imprese del comune); «Nessuna risposta»: non hanno risposto alle domande sulla fibra o hanno risposto «Non so».",
        "en": "Shares of all the sector's respondents (by municipality: of its associations and businesses); 'No answer': they did not answer the fibre questions or answered 'Don't know'.",
    },
    "report.t.fibre_sentence": {"it": "{sector} ({n} rispondenti): {parts}.", "en": "{sector} ({n} respondents): {parts}."},
    "report.t.fibre_none": {"it": "fibra non disponibile {share}%", "en": "no fibre available {share}%"},
    "report.t.fibre_not_adopted": {"it": "disponibile ma non attivata {share}%", "en": "available but not adopted {share}%"},
    "report.t.fibre_unknown": {"it": "sede non collegata in fibra {share}%", "en": "premises not on fibre {share}%"},
    "report.t.fibre_adopted": {"it": "fibra attiva {share}%", "en": "fibre adopted {share}%"},
    "report.t.top_item": {"it": "{sector}: la voce più indicata è {items} ({share}%).", "en": "{sector}: the item named most often is {items} ({share}%)."},
    "report.t.fibre_by_comune": {"it": "Per comune (comuni con almeno {n} associazioni e imprese rispondenti)", "en": "By municipality (municipalities with at least {n} responding associations and businesses)"},
    "report.t.fibre_no_comune": {"it": "Nessun comune ha almeno {n} associazioni e imprese rispondenti.", "en": "No municipality has at least {n} responding associations and businesses."},
    "report.t.barriers": {"it": "Ostacoli e resistenze", "en": "Barriers and resistance"},
    "report.t.needs": {"it": "Esigenze verso il Digital Center", "en": "Needs toward the Digital Center"},
    "report.t.freq_note": {"it": "Quota dei rispondenti di ciascun settore che indicano la voce.", "en": "Share of each sector's respondents naming the item."},
    "report.t.roadmap": {"it": "Piano d'azione del territorio", "en": "Territory road-map"},
    "report.t.roadmap_note": {
        "it": "Le azioni dei piani di settore con la priorità più alta, al massimo due per settore e dimensione. Orizzonte suggerito, prima le basi: breve dove la pratica manca quasi del tutto (punteggio medio dei raggiunti sotto 20) o il settore è al livello più basso della dimensione; lungo dove il settore ha già superato il livello intermedio; medio negli altri casi.",
        "en": "The highest-priority actions of the sector road-maps, at most two per sector and dimension. Suggested horizon, foundations first: short where the practice is almost entirely missing (mean score of those reached under 20) or the sector is at the lowest level of the dimension; long where the sector is already past the middle level; medium otherwise.",
    },
    "report.t.no_actions": {"it": "Nessuna azione riguarda almeno {n} rispondenti di un settore.", "en": "No action concerns at least {n} respondents of a sector."},
    "report.t.method": {"it": "Metodo", "en": "Method"},
    "report.t.reports": {"it": "Rapporti di settore", "en": "Sector reports"},
    "report.t.coverage_text": {
        "it": "Comuni con almeno un'associazione o un'impresa rispondente: **{covered}** su {total}.",
        "en": "Municipalities with at least one responding association or business: **{covered}** of {total}.",
    },
    "report.t.coverage_note": {
        "it": "Associazioni e imprese rispondenti per comune della sede. I Comuni stessi non sono conteggiati qui: il loro questionario è a parte. Un settore con meno di {n} rispondenti non è suddiviso per comune («–»).",
        "en": "Responding associations and businesses by municipality of the premises. The municipalities themselves are not counted here: their questionnaire is separate. A sector with fewer than {n} respondents is not broken down by municipality ('–').",
    },
    "report.t.without": {"it": "Comuni senza associazioni né imprese rispondenti ({n})", "en": "Municipalities without responding associations or businesses ({n})"},
    "report.t.method_text": {
        "it": "Ogni risposta è valutata da 0 a 100; la dimensione è la media pesata delle sue domande (se la copertura è sufficiente) e il punteggio complessivo la media pesata delle dimensioni. Livelli: {levels}. Gli intervalli di confidenza sono intervalli t di Student sulla media; dove la popolazione del settore è nota (i comuni del territorio; le altre da `population` in campaign.yaml) hanno la correzione per popolazione finita, che presuppone un campione casuale della popolazione. Le differenze tra settori usano l'intervallo di Welch. {selection}",
        "en": "Each answer is scored 0 to 100; a dimension is the weighted mean of its questions (when coverage is sufficient) and the overall score the weighted mean of the dimensions. Levels: {levels}. Confidence intervals are Student t intervals of the mean; where the sector's population is known (the municipalities of the territory; the others from `population` in campaign.yaml) they carry the finite-population correction, which assumes a random sample of the population. Differences between sectors use Welch's interval. {selection}",
    },
    "report.t.rates": {"it": "Tasso di risposta: {parts}.", "en": "Response rate: {parts}."},
    "report.t.rate": {"it": "{sector} {n} su {N} ({rate}%)", "en": "{sector} {n} of {N} ({rate}%)"},
    "report.t.rate_unknown": {"it": "{sector} non calcolabile (popolazione non indicata in campaign.yaml)", "en": "{sector} unknown (population not given in campaign.yaml)"},
    "report.t.differences": {"it": "Differenze tra settori sulle dimensioni comuni", "en": "Differences between sectors on the shared dimensions"},
    "report.t.pair": {"it": "Confronto", "en": "Comparison"},
    "report.t.difference": {"it": "Differenza", "en": "Difference"},
    "report.t.outcome": {"it": "Esito", "en": "Outcome"},
    "report.t.conclusive": {"it": "conclusiva", "en": "conclusive"},
    "report.t.not_conclusive": {"it": "non conclusiva", "en": "not conclusive"},
    "report.t.differences_note": {
        "it": "Differenza tra le medie (primo settore meno secondo) con intervallo di Welch al 95% (varianze diverse; correzione per popolazione finita dove la popolazione è nota). La differenza è conclusiva quando l'intervallo non contiene lo zero.",
        "en": "Difference of the means (first sector minus second) with Welch's 95% interval (unequal variances; finite-population correction where the population is known). The difference is conclusive when the interval does not contain zero.",
    },
    "report.t.no_differences": {"it": "Nessuna dimensione comune ha cifre pubblicate in almeno due settori.", "en": "No shared dimension has published figures in two sectors or more."},
    "report.t.answered": {"it": "Comuni che hanno risposto al questionario dei Comuni ({n})", "en": "Municipalities that answered the municipal questionnaire ({n})"},
    "report.t.fibre_unpublished": {"it": "Tabella per comune non pubblicata: non si può proteggere.", "en": "Table by municipality not published: it cannot be protected."},
})

RESISTANCE_DIMENSION = "atteggiamento"
LOCATED = ("associazione", "impresa")  # respondents counted per comune (a comune is its own respondent)


def _cross_frequency(ta: TerritoryAnalysis, attr: str, lang: str, head: str) -> list[str]:
    qid = {"barriers": BARRIERS, "needs": NEEDS}[attr]
    present = [s for s in SECTORS if getattr(ta.sectors[s], attr) is not None and getattr(ta.sectors[s], attr).published
               and getattr(ta.sectors[s], attr).answered is None]
    if not present:
        return []
    values: list[str] = []
    labels: dict[str, str] = {}
    for s in present:
        freq: Frequency = getattr(ta.sectors[s], attr)
        for row in freq.rows:
            if row.value not in labels:
                values.append(row.value)
                labels[row.value] = choice_label(ta.sectors[s].questionnaire, qid, row.value, lang)
    rows = []
    for v in values:
        row = [labels[v]]
        for s in present:
            freq = getattr(ta.sectors[s], attr)
            match = [r for r in freq.rows if r.value == v]
            row.append(pct(match[0].share, lang, ta.min_n) if match else "–")
        rows.append(row)
    heads = [head] + [sector_name(s, lang) for s in present]
    return [table(heads, rows), "", t("report.t.freq_note", lang), ""]


def _fibre_sentences(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """One sentence per sector whose fibre shares are shown (nothing is said about withheld ones)."""
    words = dict(zip(FIBRE_CATEGORIES, ("report.t.fibre_none", "report.t.fibre_not_adopted", "report.t.fibre_unknown",
                                        "report.t.fibre_adopted")))
    out = []
    for s in SECTORS:
        f = ta.sectors[s].fibre
        if f is None or not isinstance(f.n, int):
            continue
        parts = [t(words[c], lang, share=num(v, lang)) for c, v in f.shares.items() if c in words and isinstance(v, float)]
        if parts:
            out.append(t("report.t.fibre_sentence", lang, sector=sector_name(s, lang), n=f.n, parts=", ".join(parts)))
    return [" ".join(out), ""] if out else []


def _resistance(ta: TerritoryAnalysis, lang: str) -> list[str]:
    label = dict(ta.dimensions).get(RESISTANCE_DIMENSION)
    values = [f"{sector_name(s, lang)} {num(ta.sectors[s].dimensions[RESISTANCE_DIMENSION].mean, lang)}" for s in SECTORS
              if RESISTANCE_DIMENSION in ta.sectors[s].dimensions and ta.sectors[s].dimensions[RESISTANCE_DIMENSION].mean is not None]
    if not label or not values:
        return []
    return [t("report.t.resistance", lang, dim=pick(label, lang), values=", ".join(values)), ""]


def _top_sentences(ta: TerritoryAnalysis, attr: str, lang: str) -> list[str]:
    """The item named most often in each sector, when its share is shown."""
    qid = {"barriers": BARRIERS, "needs": NEEDS}[attr]
    out = []
    for s in SECTORS:
        freq: Frequency | None = getattr(ta.sectors[s], attr)
        rows = [r for r in freq.rows if isinstance(r.share, float) and isinstance(r.count, int) and r.count] if freq else []
        if not rows:
            continue
        best = max(r.share for r in rows)  # type: ignore[type-var]
        labels = [choice_label(ta.sectors[s].questionnaire, qid, r.value, lang) for r in rows if r.share == best]
        out.append(t("report.t.top_item", lang, sector=sector_name(s, lang), items=", ".join(f"«{x}»" for x in labels),
                     share=num(best, lang)))  # type: ignore[arg-type]
    return [" ".join(out), ""] if out else []


def _rates(ta: TerritoryAnalysis, lang: str) -> list[str]:
    parts = []
    for s in SECTORS:
        n, population = ta.sectors[s].n, ta.population.get(s)
        if population:
            parts.append(t("report.t.rate", lang, sector=sector_name(s, lang), n=n, N=population, rate=num(100.0 * n / population, lang)))
        else:
            parts.append(t("report.t.rate_unknown", lang, sector=sector_name(s, lang)))
    return [t("report.t.rates", lang, parts="; ".join(parts)), ""]


def _differences(ta: TerritoryAnalysis, lang: str) -> list[str]:
    out = [f"### {t('report.t.differences', lang)}", ""]
    if not ta.differences:
        return out + [t("report.t.no_differences", lang), ""]
    labels = dict(ta.dimensions)
    heads = [t("report.c.dimension", lang), t("report.t.pair", lang), t("report.t.difference", lang), t("report.c.ci", lang),
             t("report.t.outcome", lang)]
    rows = [[pick(labels[d.dimension], lang), f"{sector_name(d.a, lang)} − {sector_name(d.b, lang)}", num(d.difference, lang),
             f"{num(d.low, lang)} – {num(d.high, lang)}", t("report.t.conclusive" if d.conclusive else "report.t.not_conclusive", lang)]
            for d in ta.differences]
    return out + [table(heads, rows, "llrrl"), "", t("report.t.differences_note", lang), ""]


def _coverage(ta: TerritoryAnalysis, lang: str) -> list[str]:
    min_n = ta.min_n
    out = [f"## {t('report.t.coverage', lang)}", ""]
    covered = sum(1 for c in ta.coverage if c != UNKNOWN)
    if ta.coverage_published:
        out += [t("report.t.coverage_text", lang, covered=covered, total=ta.comuni_total), ""]
        heads = [t("report.r.comune", lang)] + [sector_name(s, lang) for s in LOCATED] + [t("report.c.total", lang)]
        rows = [[ta.comuni_names.get(c, t("report.t.unknown_comune", lang))] + [cell(cells[s], min_n, lang) for s in LOCATED]
                + [cell(ta.coverage_totals[c], min_n, lang)] for c, cells in ta.coverage.items()]
        out += [table(heads, rows), "", t("report.t.coverage_note", lang, n=min_n), ""]
        if ta.comuni_without:
            out += [f"### {t('report.t.without', lang, n=len(ta.comuni_without))}", ""]
            out += [", ".join(ta.comuni_names[c] for c in ta.comuni_without) + ".", ""]
    else:
        out += [t("report.s.unpublished", lang, n=min_n), ""]
    if ta.public_bodies and ta.comuni_answered:
        out += [f"### {t('report.t.answered', lang, n=len(ta.comuni_answered))}", ""]
        out += [", ".join(ta.comuni_names.get(c, c) for c in ta.comuni_answered) + ".", ""]
    return out


def territory_report(ta: TerritoryAnalysis, *, lang: str, charts: Mapping[str, str] | None = None,
                     sector_files: Mapping[str, str] | None = None, extra_sections: Sequence[str] = ()) -> str:
    """"Stato digitale del territorio": sectors side by side, coverage, connectivity, barriers, needs, road-map."""
    charts = charts or {}
    min_n = ta.min_n
    meta = [f"{t('report.campaign', lang)}: {md_text(ta.name)}"]
    if ta.date:
        meta.append(f"{t('report.date', lang)}: {md_text(ta.date)}")
    out = header(t("report.t.title", lang, name=md_text(ta.name)), ta.synthetic, meta, lang)
    counts = {s: ta.sectors[s].n for s in SECTORS}
    out += [t("report.t.intro", lang, n=sum(counts.values()), **counts)]
    if ta.drafts or ta.excluded:
        out[-1] += " " + t("report.t.excluded", lang, drafts=ta.drafts, excluded=ta.excluded)
    out += [""] + _rates(ta, lang)
    if ta.public_bodies:
        out += [t("report.public_bodies", lang), ""]
    out += [notes(min_n, lang), ""]

    reportable = [s for s in SECTORS if ta.sectors[s].reportable and ta.sectors[s].overall.mean is not None]
    if len(reportable) >= 2:
        ranked = sorted(reportable, key=lambda s: ta.sectors[s].overall.mean)  # type: ignore[arg-type,return-value]
        lo, hi = ta.sectors[ranked[0]].overall, ta.sectors[ranked[-1]].overall
        text = t("report.t.rank", lang, best=sector_name(ranked[-1], lang), best_mean=num(hi.mean, lang),
                 worst=sector_name(ranked[0], lang), worst_mean=num(lo.mean, lang))
        if len({ta.sectors[s].questionnaire.id for s in reportable}) > 1:  # type: ignore[union-attr]
            text += " " + t("report.t.different_questionnaires", lang)
        out += [text, ""]
    for s in reportable:
        summary = sector_summary_text(ta.sectors[s], lang)
        if summary:
            out += [f"**{sector_name(s, lang)}.** {summary}", ""]

    if sector_files:
        out += [f"{t('report.t.reports', lang)}: " + ", ".join(f"[{sector_name(s, lang)}]({f})" for s, f in sector_files.items()), ""]

    out += [f"## {t('report.t.compare', lang)}", ""]
    heads = [t("report.c.dimension", lang)] + [sector_name(s, lang) for s in SECTORS]
    rows = []
    for dim_id, label in ta.dimensions:
        row = [pick(label, lang)]
        for s in SECTORS:
            sa = ta.sectors[s]
            row.append(summary_cell(sa.dimensions[dim_id], lang, min_n) if dim_id in sa.dimensions and sa.reportable else "–")
        rows.append(row)
    rows.append([f"**{t('report.c.overall', lang)}**"] + [summary_cell(ta.sectors[s].overall, lang, min_n) if ta.sectors[s].reportable
                                                            else "–" for s in SECTORS])
    out += [table(heads, rows), "", t("report.t.compare_note", lang), ""]
    out += image(t("report.t.chart_compare", lang), charts.get("compare"))
    out += _differences(ta, lang)

    out += _coverage(ta, lang)

    out += [f"## {t('report.t.connectivity', lang)}", ""]
    out += _fibre_sentences(ta, lang)
    out += fibre_table({s: sa for s, sa in ta.sectors.items() if sa.reportable}, lang, min_n)
    if any(ta.sectors[s].fibre is not None for s in SECTORS):
        out += [t("report.t.connectivity_note", lang), ""]
        out += [f"### {t('report.t.fibre_by_comune', lang, n=min_n)}", ""]
        if not ta.fibre_comuni_published:
            out += [t("report.t.fibre_unpublished", lang), ""]
        elif ta.fibre_by_comune:
            heads = [t("report.r.comune", lang), t("report.c.respondents", lang)] + [t(k, lang) for k in FIBRE_COLUMNS]
            rows = [[ta.comuni_names[c]] + fibre_cells(f, lang, min_n) for c, f in ta.fibre_by_comune.items()]
            out += [table(heads, rows), ""]
        else:
            out += [t("report.t.fibre_no_comune", lang, n=min_n), ""]

    for attr, key, head in (("barriers", "barriers", "barrier"), ("needs", "needs", "need")):
        part = _cross_frequency(ta, attr, lang, t(f"report.c.{head}", lang))
        if part:
            intro = _top_sentences(ta, attr, lang) + (_resistance(ta, lang) if attr == "barriers" else [])
            out += [f"## {t(f'report.t.{key}', lang)}", ""] + intro + part

    out += programme_section(ta, lang) + twin_section(ta, lang)  # supersede the organisations' road-map

    for section in extra_sections:
        out += [section.rstrip(), ""]
    out += [f"## {t('report.t.method', lang)}", ""]
    qn = next((ta.sectors[s].questionnaire for s in SECTORS if ta.sectors[s].questionnaire), None)
    bands = level_bands(qn, lang) if qn else "–"
    out += [t("report.t.method_text", lang, levels=bands, selection=t("report.selection", lang)), "", notes(min_n, lang), ""]
    return "\n".join(out).rstrip() + "\n"
