"""The enterprise compliance check (POST /compliance-check; ``registry check``)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.extensions import db
from app.harmonization import services
from app.harmonization.schemas import ComplianceCheckSchema

blp = Blueprint("compliance", __name__, description="Compliance check for enterprises")


@blp.route("/compliance-check")
class ComplianceCheck(MethodView):
    @blp.arguments(ComplianceCheckSchema)
    def post(self, body):
        """My facts against the binding value of every jurisdiction named; the strictest; expansion."""
        return services.run_check(db(), body)
