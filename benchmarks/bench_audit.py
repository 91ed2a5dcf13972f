"""Time `crassess audit` on N synthetic respondents of one questionnaire (default 10,000) x D draws (1,000).

Usage: .venv/bin/python benchmarks/bench_audit.py [N] [DRAWS]

The respondents are the demo's business respondents, replicated with the demo generator (fixed seed),
scored once; the timing covers the audit itself (items, alpha, correlations, Monte Carlo over the weights).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from crassess import demo
from crassess.campaign.scored import Campaign
from crassess.questionnaire.load import load_questionnaire
from crassess.reports.audit import audit_campaign
from crassess.scoring.engine import score
from crassess.scoring.files import ScoredResponse
from crassess.territory.comuni import load_territory


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    qid, count, _, base = demo.PLAN["impresa"]
    demo.PLAN = {"impresa": (qid, n, 0, base)}
    qn = load_questionnaire(qid)
    territory = load_territory()
    t0 = time.perf_counter()
    responses = [r for _, r in demo.build_responses({"impresa": qn}, territory) if r.status == "complete"]
    scored = tuple(ScoredResponse(f"r{i}.json", r, qn, score(qn, r.answers), ()) for i, r in enumerate(responses))
    t1 = time.perf_counter()
    c1 = time.process_time()
    campaign = Campaign("bench", Path("."), scored, (), (), territory)
    audit = audit_campaign(campaign, draws=draws, seed=1)
    t2 = time.perf_counter()
    c2 = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"respondents: {len(scored)}, draws: {draws}, dimensions: {len(qn.dimensions)}, items: {len(qn.scored_questions)}")
    print(f"build and score: {t1 - t0:.1f} s (not part of the audit)")
    print(f"audit: {t2 - t1:.2f} s wall, {c2 - c1:.2f} s CPU (the machine's other load shows as the difference); peak RSS {peak:.0f} MB; median Spearman {audit.questionnaires[0].weights.spearman_median:.3f}")


if __name__ == "__main__":
    main()
