"""What fair-trial answers follow in other apps' records."""

from fairtrial.models import Answer


def hearing_saved(sender, instance, created=False, raw=False, **kwargs):
    """A hearing moved to another case takes its answers along, each saved (not updated in
    bulk), so the change feed and history see them move and who may see them follows the new
    case. In the hearing's own transaction."""
    if raw or created:
        return
    for answer in Answer.objects.filter(hearing=instance).exclude(case_id=instance.case_id):
        answer.save()
