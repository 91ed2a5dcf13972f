"""Stage 1, the questionnaire: the format's models, loading and validation, expressions, the catalogue,
checking a response's answers against its questionnaire, and the profile vocabularies.

May import: the base modules (``crassess.errors``, ``i18n``, ``sources``, ``safe_text``) only.
"""
