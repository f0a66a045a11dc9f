"""The record types of the hearings app, and its models that are not records
(core/registry.py)."""

from core.registry import internal, register

register(
    "hearing",
    "hearings.Hearing",
    path="hearings",
    viewset="hearings.api.views.HearingViewSet",
    synced=True,
    exported=True,
    dashboard=True,
    monitor_writes=True,
)
register(
    "decision",
    "hearings.Decision",
    path="decisions",
    viewset="hearings.api.views.DecisionViewSet",
    synced=True,
    exported=True,
    dashboard=True,
    monitor_writes=True,
    # Its list gives the ids of the charges it rules on that the reader may see.
    nests=(("charge", "charges"),),
)

internal("hearings.SentReminder", "which hearing reminders were emailed, so none goes twice")
