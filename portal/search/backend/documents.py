"""From a model instance to an index document, and the index field names of search fields."""

import datetime
import decimal
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from modelsearch.backends.base import get_model_root
from modelsearch.index import AutocompleteField, FilterField, Indexed, RelatedFields, SearchField

from ..analysis import pinyin_terms

INT_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}
FLOAT_TYPES = {"FloatField", "DecimalField"}
DATE_TYPES = {"DateField", "DateTimeField"}
BOOL_TYPES = {"BooleanField", "NullBooleanField"}

# Fields whose text is also indexed as pinyin, unless a model lists its own.
DEFAULT_PINYIN_FIELDS = ("title",)


def doc_key(model, pk):
    """The unique key of an object in the index: its root model's label and its pk."""
    return f"{get_model_root(model)._meta.label_lower}:{pk}"


def content_type_names(model):
    """The labels of the model and of its indexed ancestors, most specific first."""
    names = [model._meta.label_lower]
    for parent in model._meta.get_parent_list():
        if issubclass(parent, Indexed) and not parent._meta.abstract:
            names.append(parent._meta.label_lower)
    return names


def is_many(field, model):
    """Whether a filter field holds many values: a many-to-many field or tags (TaggableManager)."""
    try:
        model_field = field.get_field(model)
    except FieldDoesNotExist:  # a method or property
        return False
    return bool(model_field.many_to_many or model_field.one_to_many)


def filter_kind(field, model):
    """The one-letter kind of a filter field's index column, from its model field's type.

    A field of many values (many-to-many, tags) is `m`: the related objects' keys, as text."""
    if is_many(field, model):
        return "m"
    internal = field.get_type(model)
    if internal in INT_TYPES:
        return "i"
    if internal in FLOAT_TYPES:
        return "f"
    if internal in DATE_TYPES:
        return "d"
    if internal in BOOL_TYPES:
        return "b"
    return "s"


def filter_column(field, model, prefix=""):
    return f"{prefix}{field.get_attname(model)}__{filter_kind(field, model)}"


def text_column(field, prefix=""):
    return f"{prefix}{field.field_name}__t"


def autocomplete_column(field, prefix=""):
    return f"{prefix}{field.field_name}__a"


def clean_filter_value(value, kind):
    """A value in the form the column stores (and a query compares against)."""
    if value is None:
        return None
    if isinstance(value, models.Model):
        value = value.pk
    if kind == "i":
        return int(value)
    if kind == "f":
        return float(value)
    if kind == "d":
        return to_naive_utc(value)
    if kind == "b":
        return bool(value)
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return str(value)


def to_naive_utc(value):
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    raise TypeError(f"not a date: {value!r}")


def flatten_text(value):
    """The plain text of a search field's value (strings, lists from StreamField, tags…)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)):
        return "\n".join(flatten_text(item) for item in value if item is not None)
    if isinstance(value, (models.Manager, models.QuerySet)):
        return "\n".join(str(item) for item in value.all())
    return str(value)


def _related_objects(value):
    if value is None:
        return []
    if isinstance(value, models.Manager):
        return list(value.all())
    if isinstance(value, models.QuerySet):
        return list(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def many_values(value):
    """The keys of a many-valued filter field's objects, as index terms (text, no commas)."""
    return [
        str(clean_filter_value(item, "s")).replace(",", " ")
        for item in _related_objects(value)
        if item is not None
    ]


def _add_related(document, field, objects, model, nulls, prefix=""):
    """Index the fields of `field` (a RelatedFields) of `objects`, nested relations included:
    the values of all related objects are joined (text) or listed (filters, an `__m` column)."""
    prefix = f"{prefix}{field.field_name}__"
    related_objects = []
    for obj in objects:
        related_objects.extend(_related_objects(field.get_value(obj)))
    related_model = field.get_field(model).related_model
    for sub in field.fields:
        if isinstance(sub, RelatedFields):
            _add_related(document, sub, related_objects, related_model, nulls, prefix)
            continue
        values = [sub.get_value(item) for item in related_objects]
        if isinstance(sub, SearchField):
            document[text_column(sub, prefix)] = flatten_text(values)
        elif isinstance(sub, AutocompleteField):
            document[autocomplete_column(sub, prefix)] = flatten_text(values)
        elif isinstance(sub, FilterField):
            kind = filter_kind(sub, related_model)
            cleaned = []
            for value in values:
                if kind == "m":
                    cleaned.extend(many_values(value))
                elif value is not None:
                    cleaned.append(str(clean_filter_value(value, kind)).replace(",", " "))
            column = f"{prefix}{sub.get_attname(related_model)}__m"
            if cleaned:
                document[column] = ",".join(cleaned)
            else:
                nulls.append(column)


def build_document(obj):
    """The index document of `obj` (an instance of its most specific indexed model)."""
    model = type(obj)
    document = {
        "ix_key": doc_key(model, obj.pk),
        "ix_pk": str(obj.pk),
        "ix_model": " ".join(content_type_names(model)),
    }
    nulls = []
    for field in model.get_search_fields():
        if isinstance(field, RelatedFields):
            _add_related(document, field, [obj], model, nulls)
        elif isinstance(field, SearchField):
            document[text_column(field)] = flatten_text(field.get_value(obj))
        elif isinstance(field, AutocompleteField):
            document[autocomplete_column(field)] = flatten_text(field.get_value(obj))
        elif isinstance(field, FilterField):
            kind = filter_kind(field, model)
            column = filter_column(field, model)
            if kind == "m":
                value = ",".join(many_values(field.get_value(obj)))
            else:
                value = clean_filter_value(field.get_value(obj), kind)
            if value is None or value == "":
                nulls.append(column)
            else:
                document[column] = value
    pinyin = set()
    for name in getattr(model, "search_pinyin_fields", DEFAULT_PINYIN_FIELDS):
        pinyin.update(pinyin_terms(flatten_text(getattr(obj, name, ""))))
    if pinyin:
        document["ix_pinyin"] = " ".join(sorted(pinyin))
    if nulls:
        document["ix_null"] = " ".join(nulls)
    return {key: value for key, value in document.items() if value != ""}


def searchable_text(obj, exclude=("title",)):
    """The text of the object's search fields (for snippets), in the order they are declared."""
    parts = []
    for field in type(obj).get_searchable_search_fields():
        if field.field_name in exclude:
            continue
        text = flatten_text(field.get_value(obj)).strip()
        if text:
            parts.append(text)
    return "\n".join(parts)
