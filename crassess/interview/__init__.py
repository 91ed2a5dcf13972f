"""Stage 2, collection in the terminal: the facilitator interview (flow, prompts, profile, drafts, answers
files) and the score card shown at its end.

May import: the base modules, :mod:`crassess.questionnaire`, :mod:`crassess.territory`,
:mod:`crassess.scoring` and :mod:`crassess.campaign`; not the other collection channels nor the reports.
"""
