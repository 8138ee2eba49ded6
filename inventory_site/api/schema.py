"""OpenAPI generation: every operation documents the errors it can answer with.

Clients (and the schemathesis tests) rely on the schema listing 400/401/403/404 bodies, not only
the happy path.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, build_object_type
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema=build_object_type(
        properties={
            "detail": {"type": "string", "description": "What went wrong, for a person."},
            "code": {"type": "string", "description": "A stable machine-readable code."},
        },
        required=["detail"],
        description="An error that is not about particular fields.",
    ),
)
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": "Field-level errors: each key is a field (or non_field_errors), each value "
        "the list of its messages.",
        "additionalProperties": {},
    },
)


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for component in (ERROR, VALIDATION_ERROR):
            self.registry.register_on_missing(component)

        def add(code: int, description: str, component: ResolvedComponent) -> None:
            responses.setdefault(
                str(code),
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )

        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view():
            add(400, "Invalid input; the body says which fields and why.", VALIDATION_ERROR)
        if self.method in ("POST", "PUT", "PATCH"):
            add(415, "The body is not in a supported format (send JSON).", ERROR)
        add(401, "Not signed in, or the token is invalid or expired.", ERROR)
        if not self._is_open():
            add(403, "Signed in, but the role does not allow this.", ERROR)
        if "{" in self.path:
            add(404, "No such object.", ERROR)
        elif self._is_list_view():
            add(404, "No such page (the page number is past the last page).", ERROR)
        if self.method == "DELETE":
            add(409, "Refused: the object has history; deactivate it instead.", ERROR)
        return responses

    def _is_open(self) -> bool:
        permissions = self.view.get_permissions()
        return not permissions or all(isinstance(p, AllowAny) for p in permissions)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses NUL characters and strips surrounding whitespace before checking "may not
        # be blank": say so, so that a client (and a generated test) knows what is accepted.
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & schema.keys()
        ):
            if field.trim_whitespace and not field.allow_blank:
                schema["pattern"] = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
            else:
                schema["pattern"] = r"^[^\u0000]*$"
        return schema
