"""The record types of fair-trial monitoring (core/registry.py)."""

from core.registry import register

register(
    "fair-trial-answer",
    "fairtrial.Answer",
    path="fair-trial-answers",
    viewset="fairtrial.api.views.AnswerViewSet",
    synced=True,
    dashboard=True,
    monitor_writes=True,
)
register(
    "fairness-assessment",
    "fairtrial.Assessment",
    path="fairness-assessments",
    viewset="fairtrial.api.views.AssessmentViewSet",
    synced=True,
    dashboard=True,
)
# Reference text: everyone reads it, Editors and Admins change it, nobody syncs it.
register(
    "checklist",
    "fairtrial.ChecklistVersion",
    path="checklists",
    viewset="fairtrial.api.views.ChecklistViewSet",
)
register(
    "checklist-item",
    "fairtrial.ChecklistItem",
    path="checklist-items",
    viewset="fairtrial.api.views.ChecklistItemViewSet",
)
