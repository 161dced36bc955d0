"""The enterprise compliance check (POST /compliance-check; ``registry check``)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError as MarshmallowError

from app.api.common import json_body, on
from app.api.schemas import ComplianceCheckSchema
from app.exceptions import ValidationError
from app.extensions import db
from app.harmonization import services as hs
from app.registry import repository

blp = Blueprint("compliance", __name__, description="Compliance check for enterprises")


def run_check(data: dict) -> dict:
    """Validate a check request (API body or PROFILE.yaml) and run it."""
    if isinstance(data.get("as_of"), str | None) is False:
        data = {**data, "as_of": str(data["as_of"])}
    try:
        req = ComplianceCheckSchema().load(data)
    except MarshmallowError as err:
        raise ValidationError(
            "the compliance check request is not valid",
            fields={k: v if isinstance(v, list) else [str(v)] for k, v in err.messages.items()},
        ) from None
    s = db()
    codes = [repository.check_code(s, j) for j in req["jurisdictions"]]
    expand = repository.check_code(s, req["expand_to"]) if req["expand_to"] else None
    return hs.check(s, codes, req["facts"], req["scopes"], on(req["as_of"]), expand)


@blp.route("/compliance-check")
class ComplianceCheck(MethodView):
    def post(self):
        """My facts against the binding value of every jurisdiction named; the strictest; expansion."""
        return run_check(json_body())
