"""Mutation testing of the proof suite: does each obligation have teeth?

``catalogue`` lists semantic faults of the model (one exact source edit each) and the
obligations expected to catch them; ``apply`` runs obligations against a mutated copy of
``model`` in a subprocess; ``matrix`` runs the catalogue and tabulates which requirement's
obligations killed which mutant (``zle mutants``). The real ``model`` is never edited.
"""
