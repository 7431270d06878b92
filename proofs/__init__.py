"""The proof suite: Z3 proof obligations over the unmodified engine.

``proofs.symbolic`` runs ``model`` code on symbolic integers and enumerates its feasible
paths; ``proofs.obligations`` states each requirement of ``spec/`` as an obligation over
those paths; ``proofs.registry`` lists them; ``proofs.runner`` discharges them.
Dependencies point one way: ``model`` <- ``proofs`` <- ``zle``.
"""
