"""The record types of the tracker, written once.

Sync and tombstones, webhooks, exports, the monitors' dashboard, the change counter, the roles
and the API router all need "every record type". Each reads this registry instead of keeping
its own list, so a new type (or a new flag on one) reaches all of them at once.

Each app owns its types: it declares them in ``<app>/records.py`` with ``register`` and names
there the concrete models it deliberately leaves out with ``internal``. The kernel imports no
app: a type names its model (``"cases.Case"``) and its API viewset
(``"cases.api.views.CaseViewSet"``) by dotted strings, resolved when read, and the registry
imports every app's ``records`` module the first time it is read (as the admin finds
``admin.py``), so the order in which apps are loaded does not matter.

tests/test_registry.py fails when a concrete model is neither registered nor internal.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import autodiscover_modules, import_string


@dataclass(frozen=True)
class RecordType:
    """One kind of record and what the tracker does with it.

    ``name`` is the singular name the code uses ("case", "case-defendant"); ``path`` is its
    API list under /api/v1/ ("cases", "case-defendants") and the one name partners see for the
    type everywhere: exports, tombstones, webhook deliveries and citations' ``subject_type``.
    Every registered type moves the change counter (core/caching.py) and gets the role
    permissions of core/roles.py.
    """

    name: str
    model: str  # app label and model name: "cases.Case"
    path: str = ""  # API path, "" for none
    viewset: str = ""  # dotted path of the API viewset, "" for none
    synced: bool = False  # partners sync it: listed with updated_since, tombstones, webhooks
    exported: bool = False  # bulk export, JSON and CSV (exchange/exports.py says how)
    dashboard: bool = False  # recent changes and records flagged for review on the dashboard
    monitor_writes: bool = False  # Monitors may add and change it (everyone else on staff: view)
    # The synced types its representation (list or detail) nests, each with the lookup from
    # this model to them: (("hearing", "hearings"), ...), and for a record nested through a
    # link, the link's type and lookup: ("defendant", "parties__defendant", ("case-defendant",
    # "parties")). A change to a nested record changes this record's representation for
    # whoever sees the nested record (and the link): the change feed (exchange/changes.py)
    # lists this record too, and its ``updated_at`` moves for them (core.models.ContainerModel).
    nests: tuple = ()

    @property
    def partner_name(self):
        """The one name partners see for the type: its API path, or its name if it has none."""
        return self.path or self.name

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def viewset_class(self):
        return import_string(self.viewset) if self.viewset else None


_types = {}  # name -> RecordType, in the order registered
_by_model = {}  # lower-case model label -> RecordType
_internal = {}  # lower-case model label -> why it is not a record type
_discovered = False


def register(name, model, **flags):
    """Declare a record type (see ``RecordType`` for the flags)."""
    record_type = RecordType(name, model, **flags)
    known = _types.get(name)
    if known is not None and known != record_type:
        raise ValueError(f"Record type {name!r} is registered twice, differently.")
    _types[name] = record_type
    _by_model[model.lower()] = record_type
    return record_type


def internal(label, reason):
    """Declare that the concrete model ``label`` is deliberately not a record type: nothing is
    synced, exported, shown on the dashboard or counted as a change of the data for it."""
    if not reason:
        raise ValueError(f"Say why {label} is internal.")
    _internal[label.lower()] = reason


def _discover():
    global _discovered
    if not _discovered:
        apps.check_apps_ready()
        autodiscover_modules("records")
        _discovered = True


def record_types():
    """Every record type: the kernel's apps in INSTALLED_APPS order, each in its own order."""
    _discover()
    return list(_types.values())


def get(name):
    """The record type called ``name``; KeyError if there is none."""
    _discover()
    return _types[name]


def _label(model):
    return model.lower() if isinstance(model, str) else model._meta.label_lower


def for_model(model):
    """The record type of ``model`` (a model class or an "app.Model" label), or None."""
    _discover()
    return _by_model.get(_label(model))


def by_partner_name(name):
    """The record type partners call ``name`` ("custody-periods"), or None."""
    return next((t for t in record_types() if t.partner_name == name), None)


def is_internal(model):
    _discover()
    return _label(model) in _internal


def synced():
    return [t for t in record_types() if t.synced]


def exported():
    return [t for t in record_types() if t.exported]


def on_dashboard():
    return [t for t in record_types() if t.dashboard]
