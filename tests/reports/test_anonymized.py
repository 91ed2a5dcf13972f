"""export --anonymize: keyed pseudonyms that join waves, generalised quasi-identifiers, answers that identify withheld."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import multiprocessing
import os
import stat

import openpyxl
import pytest
from click.testing import CliRunner

from crassess.campaign.data import load_campaign_data
from crassess.campaign.secret import campaign_secret, secret_path
from crassess.cli.main import cli
from crassess.csvfile import CsvStyle
from crassess.reports.anonymized import export_anonymized, redact
from tests.waves_fixtures import LEVEL, campaign, questionnaire

# the mini questionnaire with a profile-like unscored choice and an unscored number
EXTRA = """
  - {id: tipo, type: select_one, required: false, label: {it: Tipo, en: Type}, choices: [
      {value: categoria, label: {it: Associazione di categoria, en: Trade association}},
      {value: camera, label: {it: Camera di commercio, en: Chamber of commerce}}]}
  - {id: soci, type: integer, required: false, label: {it: Soci, en: Members}}
"""
COMMA = CsvStyle(",", bom=False)


def answer(rid, name, comune, q1=50, q2=50, size=None, subsector=None, code=None, tipo=None, soci=None, nota=None, qid="mini"):
    answers = {"q1": LEVEL[q1], "q2": LEVEL[q2], "tipo": tipo, "soci": soci, "nota": nota}
    respondent = {"name": name, "comune": comune, "size": size, "subsector": subsector, "id": code,
                  "contact": f"{name.split()[0].lower()}@example.it"}
    data = {"id": rid, "questionnaire": {"id": qid, "version": "1.0"},
            "respondent": {k: v for k, v in respondent.items() if v is not None},
            "answers": {k: v for k, v in answers.items() if v is not None}, "status": "complete"}
    return json.dumps(data, ensure_ascii=False)


def make(root, wave="2026-T0", extra_yaml="", rows=None):
    qns = {"mini.yaml": questionnaire() + EXTRA, "mini_comune.yaml": questionnaire("mini_comune", sector="comune")}
    folder = campaign(root, wave, rows or {
        # six small businesses in Cremona, section C: they can show their comune
        **{f"c{i}": answer(f"r-c{i}", f"Cremonese {i} srl", "Cremona", size=3 + i, subsector="C", tipo="categoria")
           for i in range(6)},
        # one large business in Crema, and one in Soresina: too rare for their comune
        "big": answer("r-big", "Grande Crema spa", "Crema", size=400, subsector="C", tipo="camera", soci=1234),
        "sor": answer("r-sor", "Soresina snc", "Soresina", size=5, subsector="C", nota="chiamare 0372 123456 o bob@x.it"),
        "cas": answer("r-cas", "Casalasca sas", "Casalmaggiore", size=60, subsector="G"),
        # a comune answers for itself
        "com": answer("r-com", "Comune di Crema", "Crema", size=34000, qid="mini_comune"),
    }, qns)
    (folder / "campaign.yaml").write_text(f"name: Cremona digitale\nwave: {wave}\nmin_n: 3\n{extra_yaml}", encoding="utf-8")
    return folder


def rows_of(data: bytes) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_wide_anonymised_file_exactly(tmp_path):
    folder = make(tmp_path / "c")
    data = load_campaign_data(folder)
    key = campaign_secret(data.campaign)
    rows = rows_of(export_anonymized(data, "csv", wide=True, style=COMMA))
    assert list(rows[0])[:8] == ["respondent", "sector", "area", "size_class", "subsector", "questionnaire", "version", "status"]
    assert "mini.nota" not in rows[0] and "comune" not in rows[0] and "size" not in rows[0]  # free text dropped
    identities = {rid: f"response:{rid}" for rid in ["r-c0", "r-c1", "r-c2", "r-c3", "r-c4", "r-c5", "r-big", "r-sor", "r-cas"]}
    identities["r-com"] = "comune:019035"  # a comune answering for itself: its ISTAT code (Crema), keyed
    expected = {rid: "R-" + hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:12] for rid, identity in identities.items()}
    assert [r["respondent"] for r in rows] == sorted(expected.values())  # ordered by pseudonym, not by file
    by = {r["respondent"]: r for r in rows}
    cremonese = by[expected["r-c0"]]
    assert (cremonese["area"], cremonese["size_class"], cremonese["subsector"]) == ("Cremona", "0-9", "C")
    # Crema, Soresina, Casalmaggiore (1 each) are rare: comune withheld; still rare: sub-sector, then size withheld
    big, sor = by[expected["r-big"]], by[expected["r-sor"]]
    assert (sor["area"], big["area"]) == ("non diffuso", "non diffuso")
    assert (big["subsector"], big["size_class"]) == ("non diffuso", "non diffuso")
    assert (sor["subsector"], sor["size_class"]) == ("non diffuso", "non diffuso")
    # the comune: neither its name nor its inhabitants
    com = by[expected["r-com"]]
    assert (com["sector"], com["area"], com["size_class"]) == ("comune", "non diffuso", "non diffuso")
    # Chamber of commerce chosen once: withheld; the number of members: withheld
    assert (big["mini.tipo"], big["mini.soci"], cremonese["mini.tipo"], cremonese["mini.soci"]) == (
        "non diffuso", "non diffuso", "categoria", "")


def test_nothing_that_names_or_links_back(tmp_path):
    folder = make(tmp_path / "c")
    data = load_campaign_data(folder)
    for fmt in ("csv", "jsonl"):
        for wide in (False, True):
            text = export_anonymized(data, fmt, wide=wide, style=COMMA).decode("utf-8")
            for secret in ("srl", "spa", "snc", "sas", "Comune di", "@", "0372", "r-c0", "r-big", "34000", "1234", "Crema,",
                           "Casalmaggiore", "Soresina",
                           secret_path(data.campaign).read_text().strip()):
                assert secret not in text, (fmt, wide, secret)


def test_too_few_fully_withheld_rows_take_a_whole_small_group_with_them(tmp_path):
    rows = {**{f"c{i}": answer(f"r-c{i}", f"Cremonese {i}", "Cremona", size=3, subsector="C") for i in range(3)},
            **{f"g{i}": answer(f"r-g{i}", f"Gialla {i}", "Crema", size=20, subsector="G") for i in range(4)},
            "big": answer("r-big", "Grande", "Soresina", size=400, subsector="K")}
    data = load_campaign_data(make(tmp_path / "c", rows=rows))
    table = rows_of(export_anonymized(data, "csv", wide=True, style=COMMA))
    groups = sorted(((r["area"], r["size_class"], r["subsector"]) for r in table), key=str)
    # "Grande" alone cannot hide: the smallest group (the three in Cremona) is withheld with it
    assert groups.count(("non diffuso", "non diffuso", "non diffuso")) == 4
    assert groups.count(("Crema", "10-49", "G")) == 4


def test_long_format_drops_text_rows_and_marks_withheld_answers(tmp_path):
    data = load_campaign_data(make(tmp_path / "c"))
    rows = rows_of(export_anonymized(data, "csv", style=COMMA))
    assert {r["question_id"] for r in rows} == {"q1", "q2", "tipo", "soci"}
    chamber = [r for r in rows if r["question_id"] == "tipo" and r["raw_answer"] == "non diffuso"]
    assert len(chamber) == 1 and chamber[0]["answer_label"] == "non diffuso"
    assert {r["answer_label"] for r in rows if r["question_id"] == "tipo"} == {"Associazione di categoria", "non diffuso", ""}


def test_keep_text_blanks_addresses_and_phone_numbers(tmp_path):
    data = load_campaign_data(make(tmp_path / "c"))
    rows = rows_of(export_anonymized(data, "csv", wide=True, style=COMMA, keep_text=True))
    assert [r["mini.nota"] for r in rows if r["mini.nota"]] == ["chiamare […] o […]"]
    assert redact("scrivere a m.rossi@comune.crema.cr.it, tel. +39 0373 894111, anni 2019-2024") == (
        "scrivere a […], tel. […], anni 2019-2024")


def test_public_bodies_are_named_when_the_campaign_publishes_them(tmp_path):
    data = load_campaign_data(make(tmp_path / "c", extra_yaml="publish_public_bodies: true\n"))
    rows = rows_of(export_anonymized(data, "csv", wide=True, style=COMMA))
    com = next(r for r in rows if r["sector"] == "comune")
    assert (com["area"], com["size_class"]) == ("Crema", ">=15000")


def test_two_waves_sharing_the_secret_join_by_respondent_code(tmp_path):
    (tmp_path / "campagne").mkdir()
    rows_a = {"x": answer("a-1", "Alfa srl", "Cremona", code="CR-1"), "y": answer("a-2", "Beta", "Cremona")}
    rows_b = {"x": answer("b-1", "Alfa S.r.l.", "Crema", code="cr 1"), "y": answer("b-2", "Beta", "Cremona")}
    shared = "secret: ../pseudonimi.key\n"
    a = load_campaign_data(make(tmp_path / "campagne" / "T0", "T0", shared, rows_a))
    b = load_campaign_data(make(tmp_path / "campagne" / "T1", "T1", shared, rows_b))
    pa = {r["respondent"] for r in rows_of(export_anonymized(a, "csv", wide=True, style=COMMA))}
    pb = {r["respondent"] for r in rows_of(export_anonymized(b, "csv", wide=True, style=COMMA))}
    assert len(pa & pb) == 1  # Alfa, by its code (new response id, new name, another comune); Beta has no code
    assert (tmp_path / "campagne" / "pseudonimi.key").exists()
    other = load_campaign_data(make(tmp_path / "altra", "T1", "", rows_b))  # its own secret: nothing in common
    assert not pa & {r["respondent"] for r in rows_of(export_anonymized(other, "csv", wide=True, style=COMMA))}


def test_a_comune_joins_waves_by_its_istat_code(tmp_path):
    (tmp_path / "campagne").mkdir()
    shared = "secret: ../pseudonimi.key\n"
    rows_a = {"com": answer("a-com", "Comune di Crema", "Crema", qid="mini_comune")}
    rows_b = {"com": answer("b-com", "Comune di Crema (CR)", "019035", qid="mini_comune"),  # new id, new name
              "other": answer("b-sor", "Comune di Soresina", "Soresina", qid="mini_comune")}
    a = load_campaign_data(make(tmp_path / "campagne" / "T0", "T0", shared, rows_a))
    b = load_campaign_data(make(tmp_path / "campagne" / "T1", "T1", shared, rows_b))
    pa = [r["respondent"] for r in rows_of(export_anonymized(a, "csv", wide=True, style=COMMA))]
    pb = [r["respondent"] for r in rows_of(export_anonymized(b, "csv", wide=True, style=COMMA))]
    assert len(pa) == 1 and len(pb) == 2 and set(pa) < set(pb)
    key = campaign_secret(a.campaign)
    assert pa == ["R-" + hmac.new(key, b"comune:019035", hashlib.sha256).hexdigest()[:12]]


def test_a_response_without_id_is_not_named_after_its_file(tmp_path):
    row = json.loads(answer("x", "Alfa", "Cremona"))
    del row["id"]
    folder = make(tmp_path / "c", rows={"alfa-srl": json.dumps(row)})
    first = rows_of(export_anonymized(load_campaign_data(folder), "csv", wide=True, style=COMMA))[0]["respondent"]
    (folder / "responses" / "alfa-srl.json").rename(folder / "responses" / "zzz.json")
    again = rows_of(export_anonymized(load_campaign_data(folder), "csv", wide=True, style=COMMA))[0]["respondent"]
    assert first == again != "R-" + hashlib.sha256(b"alfa-srl").hexdigest()[:12]


def test_the_secret_is_created_once_private_and_checked(tmp_path):
    folder = make(tmp_path / "c")
    data = load_campaign_data(folder)
    key = campaign_secret(data.campaign)
    path = secret_path(data.campaign)
    assert path == folder / "pseudonym-secret.key" and len(key) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert campaign_secret(data.campaign) == key
    path.write_text("not hex")
    from crassess.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        campaign_secret(data.campaign)
    assert str(err.value.problems[0]).endswith("non modificare questo file")


def _secret_in_process(folder, queue):
    from crassess.campaign.config import load_campaign_config

    queue.put(campaign_secret(load_campaign_config(folder)).hex())


def test_two_processes_creating_the_secret_at_once_share_it(tmp_path):
    folder = make(tmp_path / "c")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_secret_in_process, args=(folder, queue)) for _ in range(2)]
    for w in workers:
        w.start()
    keys = {queue.get(timeout=60) for _ in workers}
    for w in workers:
        w.join(timeout=60)
    assert len(keys) == 1 and bytes.fromhex(keys.pop()) == campaign_secret(load_campaign_data(folder).campaign)


def test_cli_export_anonymize_xlsx(tmp_path):
    folder = make(tmp_path / "c")
    out = tmp_path / "dati.xlsx"
    result = CliRunner().invoke(cli, ["export", "--campaign", str(folder), "--format", "xlsx", "--wide", "--anonymize", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows()]
    assert rows[0][:3] == ["respondent", "sector", "area"] and len(rows) == 11
    assert (folder / "pseudonym-secret.key").exists()
