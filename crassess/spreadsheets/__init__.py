"""Stage 2, collection by spreadsheet: the workbook layout, writing templates, reading returned files
safely, validating one returned file, the batch import into a campaign and its progress view.

May import: the base modules, :mod:`crassess.questionnaire`, :mod:`crassess.territory`,
:mod:`crassess.scoring` and :mod:`crassess.campaign`; not the other collection channels nor the reports.
"""
