from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        # Registers the token scheme in the OpenAPI schema; imported here, not at the top, because
        # it loads the models, which exist only once the app registry is ready.
        from partners.api import schema  # noqa: F401
