"""Stage 2, collection by online form: the XLSForm of a questionnaire (KoboToolbox, ODK Central, Enketo),
reading the submission exports of those platforms and importing them into a campaign.

May import: the base modules, :mod:`crassess.questionnaire`, :mod:`crassess.territory`,
:mod:`crassess.scoring`, :mod:`crassess.campaign`, and the other collection channels
(:mod:`crassess.interview` for the profile checks, :mod:`crassess.spreadsheets` for the safe readers
and the batch import it extends); not the reports.
"""
