from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """What partners copy: the sync endpoints, the change feed, tombstones, exports and export
    jobs, and webhook delivery."""

    name = "exchange"
    verbose_name = _("Exchange")

    def ready(self):
        # Imported here, not above: the change log's model cannot load before the apps are.
        from core import registry, signals
        from exchange import changes

        # A derived field rewritten without save() (a fact's last confirmation) is an update.
        signals.derived_fields_changed.connect(changes.derived_changed, dispatch_uid="changes")
        signals.before_write.connect(changes.lock_in_order, dispatch_uid="changes-lock-order")

        # A renamed court, article, tag … changes the records showing it (exchange/changes.py).
        for record_type in changes.nested_references():
            post_save.connect(
                changes.reference_changed,
                sender=record_type.model_class,
                dispatch_uid=f"changes-{record_type.model_class._meta.label_lower}-reference",
            )

        # The change feed's log is written beside each change, like history (exchange/changes.py).
        for record_type in registry.synced():
            model = record_type.model_class
            uid = f"changes-{model._meta.label_lower}"
            pre_save.connect(changes.before_save, sender=model, dispatch_uid=f"{uid}-pre-save")
            post_save.connect(changes.after_save, sender=model, dispatch_uid=f"{uid}-save")
            pre_delete.connect(changes.before_delete, sender=model, dispatch_uid=f"{uid}-pre-del")
            post_delete.connect(changes.after_delete, sender=model, dispatch_uid=f"{uid}-del")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    changes.relation_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}-{field.name}",
                )
