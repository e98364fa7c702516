"""An API body made from a Django form: the fields, their types, which are required and every
limit the form enforces, read from the form's class (never written again by hand).

A step of the task workflow is validated by its form in the browser and in the API alike
(``assignments/actions.py``); the API's OpenAPI schema is this module's reading of that form, so
a field added to a form is in the API the same day, and a request the schema allows is one the
form accepts, as far as a schema can say (whether a named organisation exists, or a date range
ends after it starts, is for the form to answer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal, cast

from django import forms
from django.utils.translation import gettext as _
from pydantic import (
    BeforeValidator,
    Field,
    StringConstraints,
    create_model,
)
from pydantic_core import PydanticUseDefault

from nhiemvu.apicommon import NO_NUL, NO_NUL_TEXT, Code, IsoDate

# A text field the form leaves unbounded still has a bound in the API: the largest text any
# form takes (a task's content). The schema is then stricter than the form, never looser.
TEXT_CAP = 20_000
# Names of people (Django's user name: letters, digits and @.+-_).
USERNAME = Annotated[str, StringConstraints(max_length=150, pattern=r"^[\w.@+-]+$")]
# The form strips spaces before it checks "required": a required text must have a letter.
# Some character that is neither a space nor NUL, and no NUL anywhere.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
# More codes than this in one list is no request a person makes (coordinating agencies).
LIST_CAP = 100


def _blank_default(value: object) -> object:
    # A multipart form has no null: an empty field means "not given".
    if value == "":
        raise PydanticUseDefault
    return value


def _yes_no(value: object) -> object:
    # A yes/no choice also taken as a JSON boolean (true is "yes").
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _text(field: forms.CharField) -> Any:
    # The schema says what NO_NUL refuses, so that a request the schema allows is accepted.
    limits: dict[str, Any] = {"max_length": field.max_length or TEXT_CAP, "pattern": NO_NUL_TEXT}
    if field.required:
        limits.update(min_length=1, pattern=NOT_BLANK)
    # The constraints beside Clean's own check, not around it: nested, the pattern is lost.
    return Annotated[str, StringConstraints(**limits), NO_NUL]


def _not_bool(value: object) -> object:
    # JSON's true is no number, though pydantic would read it as 1 (schemathesis found it).
    if isinstance(value, bool):
        raise ValueError(_("Must be a whole number."))
    return value


def _integer(field: forms.IntegerField) -> Any:
    # None is "no bound" to pydantic as to the form.
    bounds = Field(ge=cast(Any, field.min_value), le=cast(Any, field.max_value))
    # The bounds before the validator: after it, pydantic's schema would lose them.
    return Annotated[int, bounds, BeforeValidator(_not_bool)]


def _omissible(kind: Any) -> Any:
    """An optional field: left out, or sent empty from a multipart form, when not given. Not
    null: a multipart part has no null (it would be the text "null"), and both bodies share
    one schema, which says what is taken."""
    return Annotated[kind, BeforeValidator(_blank_default)]


def _no_null_defaults(schema: dict[str, Any], model: Any = None) -> None:
    # The default of an optional field (None: "not given") is no value a client may send.
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


def _choice(field: forms.ChoiceField) -> Any:
    values = tuple(str(k) for k, _label in cast(Iterable[Any], field.choices) if k != "")
    if not values:  # chosen per task (the agency's people): a user name
        return USERNAME
    kind: Any = Literal[values]
    if set(values) == {"yes", "no"}:
        return Annotated[kind, BeforeValidator(_yes_no)]
    return kind


def field_type(field: forms.Field) -> Any:
    """The API type of one form field, with the form's own limits."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return Annotated[list[Code], Field(max_length=LIST_CAP)]
    if isinstance(field, forms.ModelChoiceField):
        return Code  # chosen by its code (to_field_name), as the browser's picker sends it
    if isinstance(field, forms.DateField):
        return IsoDate
    if isinstance(field, forms.IntegerField):
        return _integer(field)
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.ChoiceField):
        return _choice(field)
    if isinstance(field, forms.CharField):
        return _text(field)
    raise TypeError(f"no API type for {type(field).__name__}")


def body_fields(form: type[forms.Form], skip: Iterable[str] = ()) -> dict[str, forms.Field]:
    """The fields a request body carries: all but files (sent as multipart parts) and those
    the path names (an extension request's code)."""
    return {
        name: field
        for name, field in form.base_fields.items()
        if name not in set(skip) and not isinstance(field, forms.FileField)
    }


def schema_from_form(
    form: type[forms.Form], name: str, base: type[Any], skip: Iterable[str] = ()
) -> type[Any] | None:
    """A ninja Schema with the form's fields (None when the form has none to send)."""
    fields: dict[str, Any] = {}
    for key, field in body_fields(form, skip).items():
        kind = field_type(field)
        description = str(field.label) if field.label else None
        if isinstance(field, forms.BooleanField):
            fields[key] = (kind, Field(default=False, description=description))
        elif field.required:
            fields[key] = (kind, Field(description=description))
        elif isinstance(field, forms.ModelMultipleChoiceField):
            fields[key] = (kind, Field(default=[], description=description))
        elif isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
            fields[key] = (kind, Field(default="", description=description))
        else:
            fields[key] = (_omissible(kind), Field(default=None, description=description))
    if not fields:
        return None
    model: type[Any] = create_model(name, __base__=base, **fields)
    model.model_config["json_schema_extra"] = _no_null_defaults
    model.model_rebuild(force=True)
    return model


def has_file(form: type[forms.Form]) -> bool:
    return any(isinstance(f, forms.FileField) for f in form.base_fields.values())
