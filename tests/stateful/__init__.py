"""Stateful, adversarial tests: Hypothesis state machines driving the engine through
every action, with honest and adversarial actors, checking every invariant and step
property after every step (see ``machine.py``)."""
