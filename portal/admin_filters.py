"""Admin listing filters that read ids with portal.parsing, so hostile query strings ("²", a
30-digit number, a NUL) make the filter invalid (the listing stays unfiltered), never a 500."""

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelChoiceField

from .parsing import parse_id


class IdModelChoiceField(ModelChoiceField):
    """A model choice whose value must be an id portal.parsing accepts."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(parse_id(value))


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter reading its value with portal.parsing.parse_id."""

    field_class = IdModelChoiceField
