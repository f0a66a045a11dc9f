"""What the public case page and the trial-monitoring report read of fair-trial monitoring: a
case's assessment and its findings per hearing, each through the visibility gate at the
viewer's level. A note is shown only as ``Answer.note_for`` gives it."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from fairtrial.models import Answer, Assessment, ChecklistItem, Stage

STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}


def assessment_of(case, viewer):
    """The case's fairness assessment as ``viewer`` may read it, with the items that weighed
    most (``visible_weighed_items``), or None. One query, and one more when there is one."""
    items = Prefetch(
        "weighed_items",
        queryset=ChecklistItem.objects.visible_to(viewer).select_related("checklist"),
        to_attr="visible_weighed_items",
    )
    return Assessment.objects.visible_to(viewer).filter(case=case).prefetch_related(items).first()


@dataclass
class DefendantFinding:
    """One defendant's finding on one right, with the note as the viewer may read it."""

    defendant: object
    label: str
    code: str  # the finding's value, for the page's styles
    note: str


@dataclass
class Right:
    item: ChecklistItem
    findings: list = field(default_factory=list)


@dataclass
class StageFindings:
    stage: str
    label: str
    rights: list = field(default_factory=list)


@dataclass
class HearingFindings:
    hearing: object
    stages: list = field(default_factory=list)
    several_defendants: bool = False

    @property
    def observations(self):
        """The hearing's free-text observations, written before the checklist existed: shown
        beside the answers (the hearing is already one the viewer may see)."""
        return self.hearing.fair_trial_observations


def findings_by_hearing(case, viewer):
    """For each hearing of ``case`` the viewer may see (``case.visible_hearings`` and
    ``case.visible_parties``, from ``cases.selectors.case_page``) that has findings or
    observations: its findings per right, grouped by stage, each right listing each
    defendant's finding (named where the case has several visible defendants). In the
    hearings' order; hearings with nothing to show are left out. One query."""
    hearings = {hearing.pk: hearing for hearing in case.visible_hearings}
    people = {link.defendant_id: link.defendant for link in case.visible_parties}
    answers = (
        Answer.objects.visible_to(viewer)
        .filter(case=case, hearing_id__in=hearings, defendant_id__in=people)
        .with_items()
    )
    grouped = {}  # hearing id -> item id -> Right
    for answer in answers:
        rights = grouped.setdefault(answer.hearing_id, {})
        right = rights.setdefault(answer.item_id, Right(answer.item))
        right.findings.append(
            DefendantFinding(
                people[answer.defendant_id],
                answer.get_finding_display(),
                answer.finding,
                answer.note_for(viewer),
            )
        )

    result = []
    for hearing in case.visible_hearings:
        rights = grouped.get(hearing.pk, {})
        if not rights and not hearing.fair_trial_observations:
            continue
        stages = {}
        for right in sorted(rights.values(), key=_right_order):
            stage = right.item.stage
            if stage not in stages:
                stages[stage] = StageFindings(stage, right.item.get_stage_display())
            right.findings.sort(key=lambda finding: _person_order(people, finding.defendant))
            stages[stage].rights.append(right)
        result.append(
            # Where the case has several defendants each finding names its own, even if only
            # one has findings at this hearing: an unnamed finding would be ambiguous.
            HearingFindings(hearing, list(stages.values()), several_defendants=len(people) > 1)
        )
    return result


def observed_hearings(case):
    """The hearings of ``case`` the viewer may see (``case.visible_hearings``) that the
    tracker's monitors attended."""
    return [hearing for hearing in case.visible_hearings if hearing.monitored]


def _right_order(right):
    item = right.item
    return (STAGE_ORDER.get(item.stage, len(STAGE_ORDER)), item.checklist.number, item.position)


def _person_order(people, defendant):
    # The order the case page lists its defendants in.
    return list(people).index(defendant.pk)
