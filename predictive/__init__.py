"""Predictive de-risking (issue 17): an early-warning model and the controller it drives.

The model (:mod:`predictive.early_warning`) reads only what the engine and the oracle feed
show (:mod:`predictive.features`) and gives the probability of distress within a horizon
(:mod:`predictive.distress`); it is trained on synthetic paths only
(:mod:`predictive.synthetic`, :mod:`predictive.training`). The controller
(:mod:`predictive.controller`) turns that probability into steward proposals
(``UpdateParams``) and pre-liquidations (``PreLiquidate``) of consenting positions; every
one of them goes through ``model.step``, whose guards are what is proven. Nothing here is
trusted: a refused proposal is logged, never forced. :mod:`predictive.evaluation` runs
reactive and predictive gen 3 side by side on the shipped scenarios.

``model`` never imports this package; it imports ``model`` and ``simulation``. scikit-learn
(the ``predict`` extra) is imported only when a model is trained or scored.
"""
