"""Cross-checking other implementations against the model.

- a documented, versioned trace format (``spec/trace-format.md``, ``spec/trace.schema.json``):
  ``wire`` (the JSON form of model values), ``changes`` (what a step changed),
  ``trace`` (reading and writing), ``record`` (producing traces);
- for a system of markets, version 3 of the format (``spec/system-trace.schema.json``):
  ``system_wire``, ``system_schema``, ``system_trace``, ``system_replay`` and
  ``system_adapter``;
- ``replay``: the first divergence of a trace from the model, field by field;
- ``vectors``: conformance vectors, one pre-state, action and outcome per case;
- ``adapter``: the interface an implementation under test is driven through;
- ``strategies`` and ``fuzz``: differential fuzzing of an implementation against the model.

Dependencies point one way: ``model`` <- ``crosscheck`` <- ``zle``.
"""
