from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairTrialConfig(AppConfig):
    """Fair-trial monitoring: the versioned checklist of rights, the answers monitors give per
    hearing and defendant, and the Editors' fairness assessment of a case (#16)."""

    name = "fairtrial"
    verbose_name = _("Fair-trial monitoring")
