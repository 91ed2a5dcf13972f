"""crassess: digital-maturity assessment of a territory."""

__version__ = "0.1.0"
