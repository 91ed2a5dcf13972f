"""User-facing texts in Italian (first) and English, and number formatting.

Core modules build messages with :func:`t`; the CLI sets the language once with
:func:`set_language` (``--lang``, else ``CRASSESS_LANG``, else Italian).
"""

from __future__ import annotations

import math
import os
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

LANGUAGES = ("it", "en")


def default_language() -> str:
    """``CRASSESS_LANG`` when it names a supported language, else Italian."""
    env = os.environ.get("CRASSESS_LANG", "")
    return env if env in LANGUAGES else "it"


_current = {"lang": default_language()}

MESSAGES: dict[str, dict[str, str]] = {
    # places
    "place.line": {"it": "riga {line}", "en": "line {line}"},
    "place.question": {"it": "domanda {id}", "en": "question {id}"},
    "place.cell": {"it": "foglio {sheet}, cella {cell}", "en": "sheet {sheet}, cell {cell}"},
    # file reading
    "file.not_found": {"it": "file non trovato", "en": "file not found"},
    "file.unreadable": {"it": "impossibile leggere il file: {error}", "en": "cannot read the file: {error}"},
    "file.is_dir": {"it": "è una cartella, atteso un file", "en": "is a folder, a file was expected"},
    "file.not_utf8": {"it": "il file non è testo UTF-8", "en": "the file is not UTF-8 text"},
    "file.too_big": {"it": "file troppo grande (oltre {limit} MB)", "en": "file too large (over {limit} MB)"},
    "yaml.syntax": {"it": "errore di sintassi YAML: {error}", "en": "YAML syntax error: {error}"},
    "json.syntax": {"it": "errore di sintassi JSON: {error}", "en": "JSON syntax error: {error}"},
    "json.too_deep": {"it": "JSON annidato troppo in profondità", "en": "JSON nested too deeply"},
    "data.not_mapping": {"it": "atteso un oggetto (chiave: valore) al primo livello", "en": "expected a mapping (key: value) at the top level"},
    # pydantic error types
    "pyd.missing": {"it": "campo obbligatorio mancante", "en": "required field missing"},
    "pyd.extra_forbidden": {"it": "campo non previsto (errore di battitura?)", "en": "unexpected field (a typo?)"},
    "pyd.string_type": {"it": "atteso un testo", "en": "expected a text"},
    "pyd.int_type": {"it": "atteso un numero intero", "en": "expected an integer"},
    "pyd.float_type": {"it": "atteso un numero", "en": "expected a number"},
    "pyd.bool_type": {"it": "atteso true o false", "en": "expected true or false"},
    "pyd.dict_type": {"it": "atteso un oggetto (chiave: valore)", "en": "expected a mapping (key: value)"},
    "pyd.list_type": {"it": "attesa una lista", "en": "expected a list"},
    "pyd.literal_error": {"it": "valore non ammesso; ammessi: {expected}", "en": "value not allowed; allowed: {expected}"},
    "pyd.greater_than": {"it": "deve essere maggiore di {gt}", "en": "must be greater than {gt}"},
    "pyd.greater_than_equal": {"it": "deve essere almeno {ge}", "en": "must be at least {ge}"},
    "pyd.less_than_equal": {"it": "deve essere al massimo {le}", "en": "must be at most {le}"},
    "pyd.string_pattern_mismatch": {"it": "formato non valido: ammessi lettere, cifre, - e _", "en": "invalid format: letters, digits, - and _ only"},
    "pyd.respondent_id": {"it": "codice del rispondente non valido: da 1 a 64 tra lettere, cifre, spazi, '.', '_', '/' e '-', iniziando con una lettera o una cifra",
                          "en": "invalid respondent code: 1 to 64 letters, digits, spaces, '.', '_', '/' and '-', starting with a letter or a digit"},
    "pyd.too_short": {"it": "troppo pochi elementi", "en": "too few items"},
    "pyd.share": {"it": "atteso un numero da 0 a 1 o una frazione come 2/3, trovato '{value}'", "en": "expected a number from 0 to 1 or a fraction like 2/3, found '{value}'"},
    "pyd.other": {"it": "valore non valido ({detail})", "en": "invalid value ({detail})"},
    # questionnaire semantics
    "q.duplicate_id": {"it": "identificativo duplicato '{id}' (già usato a riga {first})", "en": "duplicate id '{id}' (already used on line {first})"},
    "q.unknown_dimension": {"it": "la domanda '{id}' indica la dimensione '{dim}', che non esiste; dimensioni: {known}", "en": "question '{id}' names dimension '{dim}', which does not exist; dimensions: {known}"},
    "q.unknown_choices": {"it": "la domanda '{id}' indica la lista di scelte '{name}', che non esiste; liste: {known}", "en": "question '{id}' names choice list '{name}', which does not exist; lists: {known}"},
    "q.choices_required": {"it": "la domanda '{id}' di tipo {type} richiede 'choices'", "en": "question '{id}' of type {type} needs 'choices'"},
    "q.choices_not_allowed": {"it": "la domanda '{id}' di tipo {type} non può avere 'choices'", "en": "question '{id}' of type {type} cannot have 'choices'"},
    "q.scoring_not_allowed": {"it": "la domanda '{id}': 'scoring' vale solo per integer e decimal", "en": "question '{id}': 'scoring' applies only to integer and decimal"},
    "q.scored_without_dimension": {"it": "la domanda '{id}' ha un punteggio ma nessuna 'dimension'", "en": "question '{id}' is scored but has no 'dimension'"},
    "q.partial_scores": {"it": "la lista di scelte '{name}': o tutte le scelte hanno 'score' o nessuna", "en": "choice list '{name}': either every choice has a 'score' or none does"},
    "q.exclusive_in_select_one": {"it": "la domanda '{id}' è select_one ma la scelta '{value}' è 'exclusive' (solo per select_multiple)", "en": "question '{id}' is select_one but choice '{value}' is 'exclusive' (select_multiple only)"},
    "q.duplicate_choice": {"it": "valore di scelta duplicato '{value}' nella lista '{name}'", "en": "duplicate choice value '{value}' in list '{name}'"},
    "q.reserved_choice": {"it": "il valore '{value}' è riservato (na = non applicabile, dk = non so)", "en": "value '{value}' is reserved (na = not applicable, dk = don't know)"},
    "q.choice_score_range": {"it": "la scelta '{value}' della domanda select_one '{id}' ha punteggio {score}: ammesso 0-100", "en": "choice '{value}' of select_one question '{id}' has score {score}: allowed 0-100"},
    "q.choice_points_negative": {"it": "la scelta '{value}' ha punteggio negativo {score}", "en": "choice '{value}' has a negative score {score}"},
    "q.multi_zero_points": {"it": "la domanda '{id}': la somma dei punti delle scelte è 0", "en": "question '{id}': the choice points add up to 0"},
    "q.levels_order": {"it": "i livelli devono partire da 0 ed essere strettamente crescenti (trovato {values})", "en": "levels must start at 0 and be strictly ascending (found {values})"},
    "q.level_range": {"it": "il livello '{id}' inizia a {value}: ammesso 0-100", "en": "level '{id}' starts at {value}: allowed 0-100"},
    "q.missing_language": {"it": "testo senza la lingua predefinita '{language}'", "en": "text without the default language '{language}'"},
    "q.expression": {"it": "{field} della domanda '{id}' non valido: {error}", "en": "{field} of question '{id}' is invalid: {error}"},
    "q.expression_unknown": {"it": "{field} della domanda '{id}' cita '{ref}', che non è una domanda", "en": "{field} of question '{id}' refers to '{ref}', which is not a question"},
    "q.expression_forward": {"it": "{field} della domanda '{id}' cita '{ref}', che viene dopo: si può citare solo una domanda precedente", "en": "{field} of question '{id}' refers to '{ref}', which comes later: only earlier questions can be referred to"},
    "q.dot_in_relevant": {"it": "'relevant' della domanda '{id}' usa '.', ammesso solo in 'constraint'", "en": "'relevant' of question '{id}' uses '.', allowed only in 'constraint'"},
    "q.bands": {"it": "le fasce di 'scoring' della domanda '{id}' devono avere soglie crescenti e punteggi 0-100", "en": "the 'scoring' bands of question '{id}' need ascending thresholds and scores 0-100"},
    "q.scoring_kind": {"it": "'scoring' della domanda '{id}': indicare 'bands' oppure 'min' e 'max' (diversi)", "en": "'scoring' of question '{id}': give either 'bands' or 'min' and 'max' (different)"},
    "q.roadmap_unscored": {"it": "la domanda '{id}': '{field}' vale solo per le domande con punteggio (descrive la loro azione)", "en": "question '{id}': '{field}' applies only to scored questions (it describes their action)"},
    "q.unknown_service": {"it": "la domanda '{id}' indica il servizio '{service}', che non è nel catalogo; servizi: {known}", "en": "question '{id}' names service '{service}', which is not in the catalogue; services: {known}"},
    "s.not_found": {"it": "catalogo dei servizi non trovato: {path}", "en": "service catalogue not found: {path}"},
    "s.one_line": {"it": "il servizio '{id}' deve avere un testo di una sola riga", "en": "service '{id}' must have a one-line text"},
    "g.missing_language": {"it": "il livello '{id}' ha un testo senza la lingua '{language}'", "en": "level '{id}' has a text without the language '{language}'"},
    "g.one_line": {"it": "il livello '{id}' deve avere testi di una sola riga", "en": "level '{id}' must have one-line texts"},
    "q.not_found": {"it": "questionario '{name}' non trovato; disponibili: {known}", "en": "questionnaire '{name}' not found; available: {known}"},
    "q.none_shipped": {"it": "nessun questionario trovato", "en": "no questionnaire found"},
    # expressions
    "expr.unexpected_char": {"it": "carattere inatteso '{char}' in posizione {pos}", "en": "unexpected character '{char}' at position {pos}"},
    "expr.unterminated": {"it": "testo tra apici non chiuso", "en": "unterminated quoted text"},
    "expr.unexpected_end": {"it": "l'espressione finisce troppo presto", "en": "the expression ends too early"},
    "expr.unexpected_token": {"it": "'{token}' inatteso in posizione {pos}", "en": "unexpected '{token}' at position {pos}"},
    "expr.unknown_function": {"it": "funzione sconosciuta '{name}'; ammesse: selected, count-selected, not", "en": "unknown function '{name}'; allowed: selected, count-selected, not"},
    "expr.arity": {"it": "la funzione '{name}' vuole {n} argomenti", "en": "function '{name}' takes {n} arguments"},
    "expr.needs_ref": {"it": "il primo argomento di '{name}' deve essere ${{id}}", "en": "the first argument of '{name}' must be ${{id}}"},
    # responses
    "r.unknown_question": {"it": "domanda '{id}' inesistente nel questionario {qid} {version}", "en": "question '{id}' does not exist in questionnaire {qid} {version}"},
    "r.not_in_choices": {"it": "'{value}' non è tra le scelte ammesse: {allowed}", "en": "'{value}' is not one of the allowed choices: {allowed}"},
    "r.list_for_select_one": {"it": "attesa una sola scelta, trovata una lista", "en": "expected a single choice, found a list"},
    "r.expected_list": {"it": "attesa una lista di scelte", "en": "expected a list of choices"},
    "r.duplicate_in_list": {"it": "la scelta '{value}' compare più volte", "en": "choice '{value}' appears more than once"},
    "r.exclusive_combined": {"it": "la scelta '{value}' esclude tutte le altre", "en": "choice '{value}' excludes every other choice"},
    "r.expected_integer": {"it": "atteso un numero intero, trovato '{value}'", "en": "expected a whole number, found '{value}'"},
    "r.expected_number": {"it": "atteso un numero, trovato '{value}'", "en": "expected a number, found '{value}'"},
    "r.expected_text": {"it": "atteso un testo, trovato '{value}'", "en": "expected a text, found '{value}'"},
    "r.na_not_allowed": {"it": "'Non applicabile' (na) non è ammesso per questa domanda", "en": "'Not applicable' (na) is not allowed for this question"},
    "r.dk_not_allowed": {"it": "'Non so' (dk) non è ammesso per questa domanda", "en": "'Don't know' (dk) is not allowed for this question"},
    "r.constraint": {"it": "vincolo non rispettato: {message}", "en": "constraint not met: {message}"},
    "r.constraint_default": {"it": "il valore non soddisfa {expr}", "en": "the value does not satisfy {expr}"},
    "r.questionnaire_mismatch": {"it": "la risposta è per il questionario {rid} versione {rversion}, ma è caricato {qid} versione {qversion}", "en": "the response is for questionnaire {rid} version {rversion}, but {qid} version {qversion} is loaded"},
    "r.not_relevant": {"it": "risposta ignorata: la domanda non è pertinente date le altre risposte", "en": "answer ignored: the question does not apply given the other answers"},
    "r.no_questionnaire": {"it": "la risposta indica il questionario '{qid}', che non è disponibile; indicarlo con -q", "en": "the response names questionnaire '{qid}', which is not available; give it with -q"},
    # labels
    "special.dk": {"it": "Non so", "en": "Don't know"},
    "special.na": {"it": "Non applicabile", "en": "Not applicable"},
    "yes": {"it": "Sì", "en": "Yes"},
    "no": {"it": "No", "en": "No"},
    "insufficient": {"it": "dati insufficienti", "en": "insufficient data"},
}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add a module's own messages to the catalogue (keys are namespaced by module)."""
    for key, texts in messages.items():
        if key in MESSAGES and MESSAGES[key] != texts:
            raise ValueError(f"message key {key!r} registered twice")
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"message key {key!r} must have exactly {LANGUAGES}")
        MESSAGES[key] = texts


def set_language(lang: str | None) -> str:
    """Set the language of every message built from now on; returns it."""
    if lang in LANGUAGES:
        _current["lang"] = lang
    return _current["lang"]


def get_language() -> str:
    return _current["lang"]


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in ``lang`` (default: the current language), filled with ``params``."""
    texts = MESSAGES[key]
    text = texts.get(lang or _current["lang"]) or texts["it"]
    return text.format(**params) if params else text


def tn(key: str, count: float, lang: str | None = None, **params: object) -> str:
    """``t`` for a text about ``count`` things: the singular ``key.one`` when ``count`` is 1 ("1 addetto"),
    else the plural ``key`` ("12 addetti"). ``count`` is passed to the text as ``{n}`` too."""
    return t(f"{key}.one" if count == 1 else key, lang, n=count, **params)


def pick(text: dict[str, str] | None, lang: str | None = None, fallback: str = "it") -> str:
    """The ``lang`` version of a multilingual field, falling back to ``fallback``."""
    if not text:
        return ""
    return text.get(lang or _current["lang"]) or text.get(fallback) or next(iter(text.values()))


DISPLAY_PRECISION = 9  # decimals kept of a float before it is rounded for display: far above float noise


def fmt_number(value: float | None, lang: str | None = None, decimals: int = 1, none: str = "–") -> str:
    """One-decimal display; decimal comma in Italian. Never rounds stored values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return none
    # Half away from zero, as people round (71.25 -> 71.3), not banker's rounding of binary floats; first to
    # DISPLAY_PRECISION decimals, so that a mean that is 46.25 but sums to 46.24999999999999 in floats shows 46,3.
    with localcontext(prec=400):  # room for the digits of any finite float
        exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-DISPLAY_PRECISION), rounding=ROUND_HALF_EVEN)
        text = str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",") if (lang or _current["lang"]) == "it" else text
