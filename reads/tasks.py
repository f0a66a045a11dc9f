"""The periodic job that folds the read counters of public pages into the database
(CELERY_BEAT_SCHEDULE "read-counts")."""

from celery import shared_task

from reads.counting import fold


@shared_task
def fold_read_counts():
    return fold()
