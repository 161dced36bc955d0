"""API documentation page (SPEC §7), rendered on the server from the app's own OpenAPI document."""

from __future__ import annotations

from flask import render_template

from app.extensions import api
from app.web import bp

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_text(schema: dict | None, components: dict) -> str:
    """A short type description of a parameter's schema (``string``, ``array of string``, enum values)."""
    if not schema:
        return ""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return name if name not in components else _schema_text(components[name], components)
    kind = schema.get("type", "")
    if kind == "array":
        return f"array of {_schema_text(schema.get('items'), components)}"
    text = kind + (f" ({schema['format']})" if schema.get("format") else "")
    if schema.get("enum"):
        text += ": " + " | ".join(str(v) for v in schema["enum"])
    return text


def operations(spec: dict) -> list[dict]:
    """Every (path, method) of the OpenAPI document, in document order, with summary and parameters."""
    components = spec.get("components", {}).get("schemas", {})
    out = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params = [
                {
                    "name": p.get("name"),
                    "in": p.get("in"),
                    "required": bool(p.get("required")),
                    "type": _schema_text(p.get("schema"), components),
                    "description": p.get("description", ""),
                }
                for p in [*shared, *op.get("parameters", [])]
            ]
            out.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "parameters": params,
                    "has_body": "requestBody" in op,
                    "responses": sorted(op.get("responses", {}).keys()),
                    "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-"),
                }
            )
    return out


@bp.route("/api")
def api_docs():  # type: ignore[no-untyped-def]
    spec = api.spec.to_dict()
    return render_template("api/docs.html", spec=spec, ops=operations(spec))
