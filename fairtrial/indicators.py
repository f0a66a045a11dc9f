"""Fair-trial indicators: per right, the share of observed hearings where it was violated, with
the number of hearings behind each figure (#16, item 4).

Computed through the visibility gate at the level asked for; the statistics page asks for the
public level, so a finding still held to monitors or partners changes no published figure.
A right is followed across checklist versions by its item's ``code``.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from fairtrial.models import Answer, ChecklistItem, Finding

# What a monitor could not see, or what did not arise, says nothing about the right.
OBSERVED = (Finding.RESPECTED, Finding.VIOLATED, Finding.PARTLY)
# A right partly respected was not respected.
BREACHED = (Finding.VIOLATED, Finding.PARTLY)


@dataclass(frozen=True)
class RightIndicator:
    code: str
    label: str
    hearings: int  # hearings where the right was observed
    violated: int  # of which it was violated or partly respected, for at least one defendant

    @property
    def violated_percent(self):
        return round(100 * self.violated / self.hearings) if self.hearings else 0


def right_indicators(viewer):
    """One ``RightIndicator`` per right observed at a hearing ``viewer`` may see, in the order
    of the newest checklist. Two queries."""
    counts = (
        Answer.objects.visible_to(viewer)
        .filter(finding__in=OBSERVED)
        .values("item__code")
        .annotate(
            hearings=Count("hearing_id", distinct=True),
            violated=Count("hearing_id", distinct=True, filter=Q(finding__in=BREACHED)),
        )
        .order_by()
    )
    by_code = {row["item__code"]: row for row in counts}
    if not by_code:
        return []
    # The newest wording of each right, and its place in the newest checklist that has it.
    newest = {}
    items = (
        ChecklistItem.objects.filter(code__in=by_code)
        .order_by("-checklist__number", "position")
        .values_list("code", "text_en", "checklist__number", "position")
    )
    for code, text, number, position in items:
        newest.setdefault(code, (-number, position, text))
    return [
        RightIndicator(code, newest[code][2], by_code[code]["hearings"], by_code[code]["violated"])
        for code in sorted(by_code, key=lambda code: newest[code][:2])
    ]
