"""A serializer's output for many records, faster: what DRF works out again for every record
and every field (which fields are readable, how each reads its attribute, whether a nested
serializer is a list) is worked out once, and each record is then read with plain
``getattr``. The API's serializers stay the one definition of what a record holds: anything out
of the ordinary (a field with its own ``get_attribute``, a serializer with its own
``to_representation``, an attribute that is a callable, a mapping, a missing attribute) goes
through DRF's own code, so the output is the serializer's, key for key.

Bulk exports use it (exchange/exports.py): there DRF's per-field bookkeeping was half the
time of writing a case with its nested records."""

from collections.abc import Mapping

from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField

_SERIALIZER = serializers.Serializer.to_representation
_LIST = serializers.ListSerializer.to_representation
_GET_ATTRIBUTE = Field.get_attribute
_RELATED_GET_ATTRIBUTE = RelatedField.get_attribute
_PK_REPRESENTATION = PrimaryKeyRelatedField.to_representation

# Types known not to be mappings (DRF reads a mapping's keys, not its attributes).
_OBJECTS = set()


def _plain_object(instance):
    kind = type(instance)
    if kind in _OBJECTS:
        return True
    if isinstance(instance, Mapping):
        return False
    _OBJECTS.add(kind)
    return True


def _is_plain_id(field):
    """A related record written as its id, read from the foreign key's column."""
    return (
        isinstance(field, PrimaryKeyRelatedField)
        and type(field).get_attribute is _RELATED_GET_ATTRIBUTE
        and type(field).to_representation is _PK_REPRESENTATION
        and field.pk_field is None
        and field.use_pk_only_optimization()
        and len(field.source_attrs) == 1
    )


def _id_reader(field):
    """As DRF reads a related record's id: the foreign key's column (``serializable_value``),
    without loading the record."""
    slow = field.get_attribute
    [attr] = field.source_attrs

    def read(instance):
        try:
            value = instance.serializable_value(attr)
        except Exception:
            return slow(instance)
        if callable(value):
            return slow(instance)
        return PKOnlyObject(pk=value)

    return read


def _reader(field):
    """``field.get_attribute``, by ``getattr`` when DRF's own reading would do just that."""
    if _is_plain_id(field):
        return _id_reader(field)
    slow = field.get_attribute
    attrs = field.source_attrs
    if type(field).get_attribute is not _GET_ATTRIBUTE or not attrs:
        return slow

    def read(instance):
        value = instance
        for attr in attrs:
            if value is None or not _plain_object(value):
                return slow(instance)
            try:
                value = getattr(value, attr)
            except Exception:
                return slow(instance)  # DRF's default, null, skip or error
            if callable(value):
                return slow(instance)
        return value

    return read


def _writer(field):
    """``field.to_representation``, compiled when the field is itself a serializer."""
    if isinstance(field, serializers.ListSerializer) and type(field).to_representation is _LIST:
        child = representer(field.child)

        def write_list(data):
            items = data.all() if isinstance(data, BaseManager) else data
            return [child(item) for item in items]

        return write_list
    if isinstance(field, serializers.Serializer):
        return representer(field)
    return field.to_representation


def representer(serializer):
    """A function of one record giving ``serializer.to_representation(record)``."""
    if type(serializer).to_representation is not _SERIALIZER:
        return serializer.to_representation
    steps = [
        (field.field_name, _reader(field), _writer(field)) for field in serializer._readable_fields
    ]

    def represent(instance):
        data = {}
        for name, read, write in steps:
            try:
                attribute = read(instance)
            except SkipField:
                continue
            if attribute is None or (isinstance(attribute, PKOnlyObject) and attribute.pk is None):
                data[name] = None
            else:
                data[name] = write(attribute)
        return data

    return represent
