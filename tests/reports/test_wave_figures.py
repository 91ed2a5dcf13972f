"""The comparison's figures: both kinds of change with hand-computed intervals, and what disclosure control withholds,
audited independently (numpy rank: can a reader compute a withheld mean from everything published?)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from crassess.campaign.data import load_campaign_data
from crassess.campaign.waves import compare_waves
from crassess.reports.disclosure import PRIMARY, SECONDARY, Withheld
from crassess.reports.wave_figures import wave_figures
from tests.waves_fixtures import business_waves, campaign, response


def figures(a, b, min_n=None, matches=None):
    return wave_figures(compare_waves(load_campaign_data(a), load_campaign_data(b), min_n, matches=matches))


def test_both_kinds_of_change_hand_computed(tmp_path):
    fig = figures(*business_waves(tmp_path))
    comune, impresa, total = fig.by_sector
    # the six businesses in both waves: before 0 50 25 75 25 75, after 50 75 50 100 25 75, changes 50 25 25 25 0 0
    assert (impresa.n_pairs, impresa.before, impresa.after) == (6, pytest.approx(250 / 6), pytest.approx(62.5))
    assert impresa.delta == pytest.approx(125 / 6)
    # sd of the changes sqrt(1770.83 / 5) = 18.819; t(0.975, 5) = 2.5706; half width 2.5706 x 18.819 / sqrt(6) = 19.750
    assert impresa.delta_ci == pytest.approx((1.0838, 40.5829), abs=1e-3)
    # every response: A 450 / 11, B 750 / 12; Welch: se sqrt(105.372 + 61.553) = 12.920, df 19.154, t 2.0919
    # (t tables: 2.0930 at 19, 2.0860 at 20 degrees of freedom); half width 27.027
    assert (impresa.n_a, impresa.mean_a, impresa.n_b, impresa.mean_b) == (11, pytest.approx(450 / 11), 12, pytest.approx(62.5))
    assert impresa.diff == pytest.approx(62.5 - 450 / 11)
    assert impresa.diff_ci == pytest.approx((-5.4362, 48.6180), abs=1e-3)
    # the one comune of wave A is withheld, and so is the total of wave A, which would reveal it
    assert (comune.n_a, comune.mean_a, comune.mean_b, comune.diff) == (1, PRIMARY, None, None)
    assert (total.mean_a, total.diff, total.mean_b) == (SECONDARY, SECONDARY, pytest.approx(62.5))
    assert [(f.sector, f.in_a, f.in_b, f.matched, f.left, f.entered, f.not_comparable) for f in fig.flows] == [
        ("comune", 1, 0, 0, 0, 0, 1), ("impresa", 11, 12, 6, 5, 5, 1)]


def test_confirming_the_near_misses_adds_them_to_the_pairs(tmp_path):
    a, b = business_waves(tmp_path)
    path = tmp_path / "abbinamenti.csv"
    path.write_text("conferma;risposta_a;risposta_b\nsì;a-s8;b-s8\nsì;a-verdi;b-verdi\n", encoding="utf-8")
    impresa = figures(a, b, matches=path).by_sector[1]
    # + Impresa sintetica 08 (0 -> 25) and Verdi Impianti (50 -> 75): changes 50 25 25 25 0 0 25 25, mean 175 / 8
    assert (impresa.n_pairs, impresa.delta) == (8, pytest.approx(175 / 8))
    assert (impresa.n_a, impresa.n_b) == (11, 12)  # the waves' means do not depend on matching
    assert impresa.diff == pytest.approx(62.5 - 450 / 11)


def _wave(root, name, scores):
    return campaign(root / name, name, {f"r{i}": response(rid, rid, "Cremona", q1, q2) for i, (rid, q1, q2) in enumerate(scores)})


def test_a_few_who_left_cannot_be_recovered_from_the_two_means(tmp_path):
    # 6 stayed, 2 left (fewer than min_n 5), nobody entered: mean of wave A and mean of the pairs in A would give them
    stayed = [(f"s{i}", 50, 50) for i in range(6)]
    a = _wave(tmp_path, "T0", stayed + [("l1", 100, 100), ("l2", 0, 100)])
    b = _wave(tmp_path, "T1", [(rid, 100, 50) for rid, _, _ in stayed])
    [row] = figures(a, b, min_n=5).by_sector
    assert (row.n_a, row.mean_a) == (8, pytest.approx(450 / 8))  # the wave's mean, as its own report shows it
    # with the pairs' mean before (or the change, since after = 75 = the mean of wave B) 2 x mean(left) = 8 x 56.25 - 6 x 50
    assert isinstance(row.before, Withheld) and isinstance(row.delta, Withheld)
    assert row.after == 75 and row.mean_b == 75


def test_the_one_who_entered_minus_the_one_who_left_is_not_published(tmp_path):
    stayed = [(f"s{i}", 50, 50) for i in range(6)]
    a = _wave(tmp_path, "T0", stayed + [("l1", 100, 100)])
    b = _wave(tmp_path, "T1", [(rid, 100, 50) for rid, _, _ in stayed] + [("e1", 0, 0)])
    [row] = figures(a, b, min_n=5).by_sector
    # with both means and the change shown, n_B mean_B - n_A mean_A - n change = entered - left: two respondents
    shown = [x for x in (row.mean_a, row.mean_b, row.delta) if isinstance(x, float)]
    assert len(shown) < 3
    assert isinstance(row.before, Withheld) and isinstance(row.after, Withheld)


# ------------------------------------------------------------------ an independent audit


def audit(fig):
    """Every withheld or hidden mean over fewer than min_n respondents, alone or two together, that a reader could
    compute from the published means and the mean lines (numpy ranks of the n-weighted sums). A combination that
    follows from lines of unknown means alone (a group's mean equal to its only part's) says nothing: not a leak."""
    p = fig.protection
    n = {k: p.cells[m.n].value for k, m in p.means.items()}
    unknown = [k for k in p.means if k in p.withheld or k in p.hidden]
    index = {k: i for i, k in enumerate(unknown)}
    rows, structural = [], []
    for ml in p.mean_lines:
        row = np.zeros(len(unknown))
        for sign, key in [(1, ml.total), *((-1, part) for part in ml.parts)]:
            if key in index:
                row[index[key]] += sign * n[key]
        rows.append(row)
        if all(k in index for k in (ml.total, *ml.parts)):
            structural.append(row)

    def follows(target, from_rows):
        if not from_rows:
            return False
        matrix = np.array(from_rows)
        return np.linalg.matrix_rank(np.vstack([matrix, target])) == np.linalg.matrix_rank(matrix)

    sensitive = [k for k in unknown if 0 < n[k] < p.min_n]
    found = []
    for size in (1, 2):
        for group in itertools.combinations(sensitive, size):
            if sum(n[k] for k in group) >= p.min_n:
                continue
            for signs in itertools.product((1, -1), repeat=size - 1):
                target = np.zeros(len(unknown))
                for key, sign in zip(group, (1, *signs), strict=True):
                    target[index[key]] = sign * n[key]
                if follows(target, rows) and not follows(target, structural):
                    found.append(group)
    return found


def test_audit_finds_a_leak_when_there_is_one(tmp_path):
    from crassess.reports.disclosure import Publication

    pub = Publication(5)
    for key, n, value in (("all", 8, 46.875), ("pairs", 6, 50.0), ("left", 2, 37.5)):
        pub.count(("n", key), n, public=True)
    pub.mean("all", 46.875, ("n", "all"))
    pub.mean("pairs", 50.0, ("n", "pairs"))
    pub.mean("left", 37.5, ("n", "left"), hidden=True)
    pub.mean_line("all", ["pairs", "left"])
    protection = pub.solve()

    class Fake:
        pass

    fake = Fake()
    fake.protection = protection
    assert audit(fake) == []  # the solver withheld one
    fake.protection = type(protection)(protection.min_n, protection.cells, protection.lines, protection.means,
                                       protection.mean_lines, {}, protection.hidden)
    assert audit(fake) == [("left",)]  # and without it the leak is there


@pytest.mark.parametrize("seed", range(20))
def test_generated_waves_pass_the_audit(tmp_path, seed):
    """Three sectors with random stayers, leavers and entrants (none to several), min_n 3 or 5: nothing withheld can be
    computed, alone or with another, and every table is published."""
    from tests.waves_fixtures import questionnaire

    rng = np.random.default_rng(seed)
    levels = [0, 50, 100]
    qns = {"mini.yaml": questionnaire(), "mini_comune.yaml": questionnaire("mini_comune", sector="comune"),
           "mini_ass.yaml": questionnaire("mini_ass", sector="associazione")}
    a_rows, b_rows = {}, {}
    for qid in ("mini", "mini_comune", "mini_ass"):
        def person(tag, i, comune):
            return response(f"{qid}{tag}{i}", f"{qid}{tag}{i}", comune, int(rng.choice(levels)), int(rng.choice(levels)), qid=qid)

        for i in range(int(rng.integers(0, 9))):
            a_rows[f"{qid}s{i}"], b_rows[f"{qid}s{i}"] = person("s", i, "Cremona"), person("s", i, "Cremona")
        for i in range(int(rng.integers(0, 4))):
            a_rows[f"{qid}l{i}"] = person("l", i, "Crema")
        for i in range(int(rng.integers(0, 4))):
            b_rows[f"{qid}e{i}"] = person("e", i, "Crema")
    if not a_rows or not b_rows:
        return
    a, b = campaign(tmp_path / "a", "T0", a_rows, qns), campaign(tmp_path / "b", "T1", b_rows, qns)
    fig = figures(a, b, min_n=int(rng.choice([3, 5])))
    assert audit(fig) == [], json.dumps([str(g) for g in audit(fig)])
    assert fig.by_sector and fig.by_dimension and not fig.protection.dropped
