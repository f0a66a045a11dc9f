"""Queueing background work safely.

Work is queued only after the transaction that caused it commits (a rolled-back request queues
nothing), and a broker that is down never fails the request: the work is already recorded in
the database (a pending webhook delivery, a queued export), and a periodic sweeper queues it
again once the broker is back.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def send_now(task, *args):
    """Queue ``task``; if the broker cannot be reached, log and leave the work to the sweeper."""
    try:
        task.apply_async(args=args)
    except Exception as error:  # kombu/redis raise many kinds; none may fail the caller
        log.warning("broker unavailable, %s(%s) left for the sweeper: %s", task.name, args, error)
        return False
    return True


def queue_after_commit(task, *args):
    transaction.on_commit(lambda: send_now(task, *args))
