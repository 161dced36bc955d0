"""Map the registry's exception tree to HTTP: a JSON envelope under /api/, HTML pages elsewhere (SPEC §4)."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.exceptions import (
    AuthenticationRequired,
    Conflict,
    CorpusError,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RegistryError,
    SchemaNotCurrent,
    SearchIndexError,
    ValidationError,
)

STATUS = [
    (AuthenticationRequired, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (PayloadTooLarge, 413),
    (SearchIndexError, 503),
    (SchemaNotCurrent, 503),
    (CorpusError, 400),
    (ValidationError, 400),
]


def status_of(err: RegistryError) -> int:
    for cls, status in STATUS:
        if isinstance(err, cls):
            return status
    return 400


def envelope(code: str, message: str, fields: dict | None = None) -> dict:
    body: dict = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/feeds/")


def registry_error_response(err: RegistryError) -> tuple[Response, int] | tuple[str, int]:
    status = status_of(err)
    fields = {k: v if isinstance(v, list) else [str(v)] for k, v in dict(err.fields).items()}
    if isinstance(err, CorpusError):
        for p in err.problems:
            fields.setdefault(p.field or "document", []).append(str(p))
    if _wants_json():
        resp = jsonify(envelope(err.code, err.message, fields or None))
        if status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="registry"'
        return resp, status
    return render_template("error.html", status=status, message=err.message, fields=fields), status


def http_error_response(error: HTTPException):  # type: ignore[no-untyped-def]
    status = error.code or 500
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        415: "unsupported_media_type",
        422: "bad_request",
        429: "too_many_requests",
    }.get(status, "error")
    fields = None
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # webargs validation (flask-smorest answers 422; we answer 400 with fields)
        fields = {}
        for _location, msgs in data["messages"].items():
            if isinstance(msgs, dict):
                fields.update({k: v if isinstance(v, list) else [str(v)] for k, v in msgs.items()})
        status = 400
    message = {
        400: "the request is not valid",
        404: "no such page or resource",
        405: "method not allowed here",
        413: "the request body is too large",
        429: f"too many requests ({error.description}); try again later (see Retry-After)",
    }.get(status, error.description or error.name)
    if _wants_json():
        return jsonify(envelope(code, message, fields)), status
    return render_template("error.html", status=status, message=message, fields=fields or {}), status


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def deny_write(reason: str) -> None:
    """Mark this request as a refused write (e.g. no CSRF token, not signed in): it is audited."""
    g.write_denied = reason


def _audit_denied_write(resp: Response) -> Response:
    """Every refused write leaves one audit row (``write_denied``), in a transaction of its own.

    Refused: 401 or 403 to a write, and writes marked by :func:`deny_write`. The refused write's
    own transaction was rolled back, so the row records the attempt only; it is chained like every
    other row and carries no before/after hashes, as nothing changed. Sign-in answers are audited
    by the sign-in page itself (``signin_failed``).
    """
    if request.method not in WRITE_METHODS or request.endpoint == "web.signin":
        return resp
    reason = g.pop("write_denied", None)
    if reason is None and resp.status_code not in (401, 403):
        return resp
    user = g.get("writer") or g.get("user")  # the API's token holder, or the signed-in user
    actor = user.name if user is not None else "anonymous"
    from app.extensions import engine
    from app.registry import audit
    from app.registry.db import write_session

    try:
        with write_session(engine()) as s:
            audit.lock(s)
            audit.append(
                s,
                actor=str(actor)[:80],
                action="write_denied",
                target=request.path[:240],
                detail={
                    "method": request.method,
                    "status": resp.status_code,
                    "reason": reason or _reason(resp),
                    "address": request.remote_addr,
                },
            )
    except SQLAlchemyError as err:  # the refusal stands even when it cannot be recorded
        current_app.logger.error("could not audit a refused write to %s: %s", request.path, err)
    return resp


def _reason(resp: Response) -> str:
    if resp.is_json:
        return str((resp.get_json(silent=True) or {}).get("error", {}).get("message", ""))[:500]
    return {401: "not authenticated", 403: "not allowed"}.get(resp.status_code, "refused")


def init_app(app: Flask) -> None:
    app.register_error_handler(RegistryError, registry_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.after_request(_audit_denied_write)
