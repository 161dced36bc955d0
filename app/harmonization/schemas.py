"""The compliance check request (SPEC §4 POST ``/compliance-check``; ``registry check PROFILE.yaml``).

One schema for the API body, the command line's profile file and the form on
the compliance page, so all three accept and refuse the same requests.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema


class ComplianceCheckSchema(Schema):
    """Body of POST /compliance-check (also the shape of ``registry check PROFILE.yaml``)."""

    class Meta:
        unknown = RAISE

    jurisdictions = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=20))
    facts = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    scopes = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), load_default=None)
    as_of = fields.Date(load_default=None)
    expand_to = fields.String(load_default=None)

    @validates_schema
    def _facts(self, data, **kwargs):
        for k, v in data.get("facts", {}).items():
            if isinstance(v, dict):  # {"value": 0.045, "unit": "g/L"}: converted to the canonical unit
                if (
                    set(v) - {"value", "unit"}
                    or not isinstance(v.get("value"), bool | int | float)
                    or not isinstance(v.get("unit", ""), str)
                ):
                    raise ValidationError({k: ["a fact with a unit is {value: number, unit: text}"]}, "facts")
            elif not isinstance(v, bool | int | float):
                raise ValidationError({k: ["a fact is a number, or true/false, or {value, unit}"]}, "facts")
