"""The enterprise compliance check (POST /compliance-check; ``registry check``)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.schemas import ComplianceResultSchema
from app.extensions import db
from app.harmonization import services
from app.harmonization.schemas import ComplianceCheckSchema

blp = Blueprint("compliance", __name__, description="Compliance check for enterprises")


@blp.route("/compliance-check")
class ComplianceCheck(MethodView):
    @blp.arguments(ComplianceCheckSchema)
    @blp.alt_response(200, schema=ComplianceResultSchema, description="the result per jurisdiction")
    def post(self, body):
        """My facts against the binding value of every jurisdiction named; the strictest; expansion."""
        return services.run_check(db(), body)
