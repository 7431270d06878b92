"""``zle``: the command-line front end (proofs, simulation, replay and conformance tools).

Dependencies point one way: ``model`` <- ``proofs`` <- ``zle``.
"""
