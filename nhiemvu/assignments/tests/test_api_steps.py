"""The API is made from the workflow table (issue 25, as Zulip's test_openapi checks its
endpoints against their code): every step of ``workflow.TRANSITIONS`` has its route, and each
route's body is its form — every field, whether it is required, and every limit."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.test import SimpleTestCase

from nhiemvu.apiforms import LIST_CAP, NO_NUL_TEXT, NOT_BLANK, TEXT_CAP, body_fields
from nhiemvu.assignments import workflow
from nhiemvu.assignments.actions import ACTIONS


def _openapi() -> dict[str, Any]:
    from nhiemvu.api import api

    # As a client reads it (status codes as strings).
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def _operations(schema: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, op)
        for path, methods in schema["paths"].items()
        for op in methods.values()
    }


def _body(schema: dict[str, Any], operation: dict[str, Any], media: str) -> dict[str, Any]:
    body = operation.get("requestBody", {}).get("content", {}).get(media, {}).get("schema", {})
    # A body whose fields are all optional may be left out: anyOf [the body, null].
    body = next((b for b in body.get("anyOf", []) if "$ref" in b), body)
    ref = body.get("$ref", "")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else body


class StepRoutesTest(SimpleTestCase):
    def test_every_workflow_step_has_a_form_a_service_and_a_route(self) -> None:
        operations = _operations(_openapi())
        for name in workflow.TRANSITIONS:
            self.assertIn(name, ACTIONS, f"the step {name} has no form and service in actions.py")
            path, operation = operations[f"task_{name}"]
            self.assertTrue(path.endswith(f"/{name}"), path)
            self.assertIn("409", operation["responses"])
            form = ACTIONS[name].form
            if any(isinstance(f, forms.FileField) for f in form.base_fields.values()):
                self.assertIn(f"task_{name}_upload", operations, name)

    def test_the_steps_in_a_tasks_actions_are_the_routed_ones(self) -> None:
        # The detail's "actions" lists names from the table; each must be a route's name.
        operations = _operations(_openapi())
        routed = {op.removeprefix("task_") for op in operations if op.startswith("task_")}
        self.assertLessEqual(set(workflow.TRANSITIONS), routed)

    def test_each_body_is_its_form_field_for_field_with_the_same_limits(self) -> None:
        schema = _openapi()
        operations = _operations(schema)
        for name in workflow.TRANSITIONS:
            form = ACTIONS[name].form
            path, operation = operations[f"task_{name}"]
            expected = body_fields(form, skip=[p for p in ("extension",) if f"{{{p}}}" in path])
            body = _body(schema, operation, "application/json")
            properties = body.get("properties", {})
            self.assertEqual(set(properties), set(expected), name)
            required = {k for k, f in expected.items() if f.required}
            self.assertEqual(set(body.get("required", [])), required, name)
            for key, field in expected.items():
                self._same_limits(f"{name}.{key}", field, properties[key])
            if f"task_{name}_upload" in operations:
                _path, upload = operations[f"task_{name}_upload"]
                parts = _body(schema, upload, "multipart/form-data").get("properties", {})
                self.assertEqual(set(parts), {*expected, "file"}, name)

    def _same_limits(self, where: str, field: forms.Field, prop: dict[str, Any]) -> None:
        variants = prop.get("anyOf", [prop])
        stated = next((v for v in variants if v.get("type") != "null"), prop)
        if isinstance(field, forms.ModelMultipleChoiceField):
            self.assertEqual((stated["type"], stated["maxItems"]), ("array", LIST_CAP), where)
        elif isinstance(field, forms.ModelChoiceField):
            self.assertEqual(stated["maxLength"], 40, where)  # an organisation's or cause's code
        elif isinstance(field, forms.DateField):
            self.assertEqual(stated["format"], "date", where)
        elif isinstance(field, forms.IntegerField):
            self.assertEqual(stated["type"], "integer", where)
            self.assertEqual(stated.get("minimum"), field.min_value, where)
            self.assertEqual(stated.get("maximum"), field.max_value, where)
        elif isinstance(field, forms.ChoiceField):
            choices = {str(k) for k, _label in cast(Iterable[Any], field.choices) if k != ""}
            if choices:
                self.assertEqual(set(stated["enum"]), choices, where)
        elif isinstance(field, forms.CharField):
            self.assertEqual(stated["type"], "string", where)
            self.assertEqual(stated["maxLength"], field.max_length or TEXT_CAP, where)
            self.assertEqual(stated.get("minLength", 0), 1 if field.required else 0, where)
            # The form strips spaces before "required": the schema asks for a letter; and no
            # text may hold NUL (PostgreSQL cannot store it), which the schema states too.
            self.assertEqual(
                stated.get("pattern"), NOT_BLANK if field.required else NO_NUL_TEXT, where
            )
            self.assertIsNone(re.search(stated["pattern"], "a\x00b"), where)
        else:
            self.fail(f"{where}: a field of a kind the API does not know")
