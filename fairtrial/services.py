"""Writes of fair-trial answers that touch several models at once."""

from django.core.exceptions import ValidationError
from django.db import transaction

from hearings.services import hearing_log, log_reason


class AnswerRejected(ValidationError):
    """One answer of a logged hearing broke a rule of ``Answer``; ``answer`` says which."""

    def __init__(self, error, *, answer):
        super().__init__(error)
        self.answer = answer


@transaction.atomic
def hearing_log_with_answers(*, answers=(), **log):
    """Log a hearing (``hearings.services.hearing_log``, with the same keyword arguments) and
    the fair-trial answers the monitor gave at it, in one transaction: an error in any part
    saves nothing, neither the hearing nor any answer.

    ``answers`` are unsaved ``Answer``s naming their defendant, item, finding and note (and the
    note's level, where the monitor may choose it). Each is about the new hearing and gets its
    visibility; each is checked by the model's own rules (``Answer.full_clean``) like every
    other write path, and the first it refuses is raised as ``AnswerRejected``. Returns what
    ``hearing_log`` returns, then the saved answers."""
    hearing, decisions, pending = hearing_log(**log)
    change_reason = log_reason(hearing.pk, log.get("reason", ""))
    saved = []
    for answer in answers:
        answer.hearing = hearing
        answer.visibility = hearing.visibility
        try:
            answer.full_clean()
        except ValidationError as error:
            raise AnswerRejected(error, answer=answer) from error
        answer._change_reason = change_reason
        answer.save()
        saved.append(answer)
    return hearing, decisions, pending, saved
