"""Sending Celery tasks to a real broker from inside a test."""

import contextlib

import kombu.pools


def _drop_connections(app):
    """Close the broker connections and forget their pools (kombu keeps them in a global
    registry), so that the next task opens a connection to the broker configured now."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url, monkeypatch):
    """Inside the block, tasks are sent to the broker at ``url`` (not run eagerly)."""
    from cambodia_tracker.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _drop_connections(app)
    try:
        yield app
    finally:
        _drop_connections(app)
        app.conf.broker_url, app.conf.task_always_eager = saved


def unreachable_broker(monkeypatch):
    """A Redis broker where nothing listens: every connection is refused."""
    return celery_broker("redis://127.0.0.1:1/0", monkeypatch)
