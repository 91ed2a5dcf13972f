"""The ``crassess`` command line: the group and its error handling (:mod:`crassess.cli.main`), shared
options, and one module per command group. Commands only parse, call one core function and render.

May import everything; nothing imports it (but ``crassess.__main__``).
"""
