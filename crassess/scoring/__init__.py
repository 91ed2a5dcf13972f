"""Stage 4, scoring: the engine (items -> dimensions -> overall, levels, gaps, actions) and the scoring of
response files.

May import: the base modules, :mod:`crassess.questionnaire` and :mod:`crassess.territory`.
"""
