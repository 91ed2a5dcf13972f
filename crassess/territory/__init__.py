"""The territory: its comuni (ISTAT codes and names), a respondent's comune checked against it, and open
indicators per comune (e.g. fibre coverage).

May import: the base modules and :mod:`crassess.questionnaire`.
"""
