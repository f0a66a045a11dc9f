from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairTrialConfig(AppConfig):
    """Fair-trial monitoring: the versioned checklist of rights, the answers monitors give per
    hearing and defendant, and the Editors' fairness assessment of a case (#16)."""

    name = "fairtrial"
    verbose_name = _("Fair-trial monitoring")

    def ready(self):
        from django.db.models.signals import post_save

        from fairtrial import signals

        # A hearing moved to another case takes its answers along (fairtrial/signals.py).
        post_save.connect(
            signals.hearing_saved, sender="hearings.Hearing", dispatch_uid="fairtrial-hearing"
        )
