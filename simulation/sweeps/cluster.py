"""The Dask cluster runs go to: an embedded ``LocalCluster``, or an existing one.

Without an address, :func:`cluster_client` starts a ``LocalCluster`` of worker
processes, one thread each (the engine is pure Python: threads would share one
interpreter lock), and stops it at the end. With an address (``tcp://host:8786``) it
connects to a running scheduler: one started by ``dask scheduler`` and ``dask worker``
on several machines, by dask-jobqueue on a batch system, or by the Dask Kubernetes
operator; the workers need this package installed at the same version (a run checks
that its worker's code is the client's, ``tasks.code_version``).

:func:`run_tasks` submits tasks a window at a time (the scheduler never holds a million
futures) and hands each result, or the exception that lost it, to a callback in the
order they finish.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")


class ClusterError(Exception):
    """The scheduler cannot be reached, or the cluster cannot be started."""


def has_dashboard() -> bool:
    """Whether Dask can serve its dashboard here (it needs ``bokeh``)."""
    return importlib.util.find_spec("bokeh") is not None


def _distributed() -> Any:
    """``distributed``, imported when a cluster is needed (its API is untyped)."""
    return importlib.import_module("distributed")


@contextmanager
def cluster_client(scheduler: str | None, workers: int, timeout: float = 20) -> Iterator[Any]:
    """A ``distributed.Client`` of the cluster at ``scheduler``, or of a new LocalCluster
    of ``workers`` single-threaded processes, closed (and the cluster stopped) at the end.

    The embedded cluster's own logs are silenced below CRITICAL: on a loaded machine a
    worker's heartbeat can race the scheduler's shutdown and log a traceback after a
    sweep that went well; what matters is reported anyway (a task that raised or was
    lost with its worker is a failed row)."""
    Client, LocalCluster = _distributed().Client, _distributed().LocalCluster
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:  # ValueError: a bad address
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,
    )
    with cluster, Client(cluster) as client:
        yield client


def dashboard_of(client: Any) -> str | None:
    """The dashboard's address, when the scheduler serves one (an embedded cluster's
    only with ``bokeh`` installed: without it the address serves no dashboard)."""
    services = client.scheduler_info().get("services", {})
    local = client.cluster is not None
    if "dashboard" not in services or (local and not has_dashboard()):
        return None
    link: str = client.dashboard_link
    return link


def worker_count(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


def run_tasks(
    client: Any,
    function: Callable[..., Any],
    items: Iterable[T],
    arguments: Callable[[T], tuple[Any, ...]],
    key: Callable[[T], str],
    done: Callable[[T, Any, BaseException | None], None],
    window: int,
) -> None:
    """``function(*arguments(item))`` for every item, ``window`` at a time; ``done(item,
    result, error)`` as each finishes (``error`` when the task was lost or raised)."""
    as_completed = _distributed().as_completed
    pending = iter(items)
    waiting: dict[str, T] = {}

    def submit(batch: list[T]) -> list[Any]:
        futures = []
        for item in batch:
            name = key(item)
            waiting[name] = item
            futures.append(client.submit(function, *arguments(item), key=name, pure=False))
        return futures

    first = submit(list(islice(pending, window)))
    if not first:
        return
    finished = as_completed(first, with_results=True, raise_errors=False)
    for future, result in finished:
        item = waiting.pop(future.key)
        error = None if future.status == "finished" else _lost(result)
        done(item, None if error is not None else result, error)
        future.release()
        for new in submit(list(islice(pending, 1))):
            finished.add(new)


def _lost(result: Any) -> BaseException:
    """The exception of a failed future: ``as_completed`` gives ``(type, value, traceback)``
    for an error, the exception itself for a cancellation."""
    if isinstance(result, tuple) and len(result) == 3 and isinstance(result[1], BaseException):
        return result[1]
    if isinstance(result, BaseException):
        return result
    return RuntimeError(f"task lost: {result!r}")
