"""``zle``: the command-line front end (proof report, demo, and later replay and simulation).

Dependencies point one way: ``model`` <- ``proofs`` <- ``zle``.
"""
