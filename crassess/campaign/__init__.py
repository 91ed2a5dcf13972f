"""Stage 3, the campaign: ``campaign.yaml``, loading and scoring a campaign's responses, its status, the
comparison of two waves and the export of its data.

May import: the base modules, :mod:`crassess.questionnaire`, :mod:`crassess.territory` and
:mod:`crassess.scoring`.
"""
