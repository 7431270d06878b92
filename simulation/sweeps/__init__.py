"""Monte Carlo sweeps: scenarios x parameter sets x seeds x policies, each run a Dask task.

``spec`` reads a sweep file, ``tasks`` is what one run does on a worker, ``cluster``
the Dask client, ``execute`` the resumable loop, ``results`` the journal and the table,
``summary`` the tail figures, ``plot`` the figures. ``zle sweep`` is the command.
"""
