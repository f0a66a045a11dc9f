"""The "missing translations" queue: records the public can see whose Khmer text is empty
while the English is filled, by record type, the most-read first.

Which types and fields is read from the models, not listed here: every registered record type
(core/registry.py) with a ``<name>_km`` field, paired with ``<name>_en`` or ``<name>``. A type
the public cannot see at all (no visibility gate and not public reference data) is left out,
and within a type only what ``visible_to(PUBLIC)`` returns counts: a confidential record never
needs a public translation.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from core import registry
from core.visibility import PUBLIC_REFERENCE_MODELS, Visibility
from reads.counting import COUNTED
from reads.models import ReadCount

PREVIEW = 10  # records shown per type on the overview
PAGE_SIZE = 50  # records per page of one type


def translated_fields(model):
    """(English field, Khmer field) name pairs of ``model``: ``title_km`` with ``title_en``,
    or with ``title`` where the English field has no suffix."""
    names = {f.name for f in model._meta.concrete_fields}
    pairs = []
    for name in sorted(names):
        if name.endswith("_km"):
            base = name[: -len("_km")]
            english = f"{base}_en" if f"{base}_en" in names else base
            if english in names:
                pairs.append((english, name))
    return pairs


def public_records(model):
    """What the public sees of ``model`` (the visibility gate), or None if it sees none of it."""
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(Visibility.PUBLIC)
    if model._meta.label in PUBLIC_REFERENCE_MODELS:
        return manager.all()
    return None


def _view_permission(model):
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def translatable_types(user):
    """The record types with Khmer fields the public sees and ``user`` may read in the
    workspace: monitors see what is missing (an Editor's change fills it in)."""
    return [
        record_type
        for record_type in registry.record_types()
        if translated_fields(record_type.model_class)
        and public_records(record_type.model_class) is not None
        and user.has_perm(_view_permission(record_type.model_class))
    ]


def _recently_changed(model):
    """The column saying when the public last saw the record change, newest first."""
    names = {f.name for f in model._meta.concrete_fields}
    for name in ("changed_public", "updated_at"):
        if name in names:
            return F(name).desc()
    return F("pk").desc()


def missing(model):
    """The public records of ``model`` with an English text and no Khmer one, the most-read
    first, then those never read, the most recently changed first; each with ``read_count``."""
    empty = Q()
    for english, khmer in translated_fields(model):
        empty |= Q(**{khmer: ""}) & ~Q(**{english: ""})
    reads = ReadCount.objects.filter(
        model=model._meta.label_lower, record_id=OuterRef("pk")
    ).values("reads")[:1]
    # Names read by ``str()`` (an article's law, an affiliation's organisation) come along.
    related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
    return (
        public_records(model)
        .filter(empty)
        .select_related(*related)
        .annotate(read_count=Subquery(reads))
        .order_by(F("read_count").desc(nulls_last=True), _recently_changed(model), "-pk")
    )


@dataclass
class Item:
    record: object
    fields: list  # the Khmer fields missing, by their labels
    url: str
    reads: int


@dataclass
class Group:
    record_type: object
    label: str
    count: int
    items: list = field(default_factory=list)
    page: object = None  # when the whole type is listed a page at a time

    @property
    def more(self):
        return self.count - len(self.items)

    @property
    def top_reads(self):
        return self.items[0].reads if self.items else 0

    @property
    def counted(self):
        """Whether reads of this type are counted (it has a public page of its own)."""
        return self.record_type.model.lower() in COUNTED


def _item(model, record):
    opts = model._meta
    return Item(
        record=record,
        fields=[
            opts.get_field(khmer).verbose_name
            for english, khmer in translated_fields(model)
            if getattr(record, english) and not getattr(record, khmer)
        ],
        url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
        reads=record.read_count or 0,
    )


def _group(record_type, records, count):
    model = record_type.model_class
    return Group(
        record_type=record_type,
        label=model._meta.verbose_name_plural,
        count=count,
        items=[_item(model, record) for record in records],
    )


def overview(user):
    """Each type ``user`` may translate with something missing: its count and its most-read
    records. The type holding the most-read record comes first; then the types with public
    pages of their own (cases, people, articles), then the others, each in the registry's
    order. Two queries per type, however many records."""
    groups = []
    for record_type in translatable_types(user):
        queryset = missing(record_type.model_class)
        count = queryset.count()
        if count:
            groups.append(_group(record_type, queryset[:PREVIEW], count))
    # A stable sort: the registry's order stays where the rest ties.
    groups.sort(key=lambda g: (-g.top_reads, not g.counted))
    return groups


def one_type(user, name, page_number):
    """Every record of the type called ``name`` with something missing, a page at a time; None
    if there is no such type ``user`` may translate."""
    record_type = next((t for t in translatable_types(user) if t.name == name), None)
    if record_type is None:
        return None
    page = Paginator(missing(record_type.model_class), PAGE_SIZE).get_page(page_number)
    group = _group(record_type, page.object_list, page.paginator.count)
    group.page = page
    return group
