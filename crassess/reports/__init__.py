"""Stage 5, reports: analysis of a campaign, statistics, peer groups, charts, Markdown renderers (one module per
report kind), their HTML pages, the report workbook, the wave comparison files, and building the whole set.

May import: the base modules, :mod:`crassess.questionnaire`, :mod:`crassess.territory`,
:mod:`crassess.scoring` and :mod:`crassess.campaign`; not the collection channels.
"""
