"""Operators: signing in (Google, or by email in a local run), tokens, roles."""

from __future__ import annotations

from shared import errors
from shared.console_schemas import OperatorCreate, OperatorList, OperatorPublic, SignedIn, SignIn
from shared.db import operators
from shared.db.engine import connection, transaction
from shared.db.operators import OperatorRow
from shared.identity import verify_google_id_token
from shared.security import hash_token, new_session_token
from shared.settings import get_settings

SIGN_IN_AGAIN = "Please sign in."
NOT_AN_OPERATOR = "This account is not a member of the support team."


def sign_in(request: SignIn) -> SignedIn:
    """Exchange a Google ID token (or, locally, an email) for our own operator token."""
    if request.local_email is not None:
        operator = _local_operator(request.local_email)
    else:
        assert request.id_token is not None
        operator = _google_operator(request.id_token)
    token = new_session_token()
    with connection() as conn:
        expires = operators.store_token(
            conn, token_hash=hash_token(token), operator_id=operator.id, hours=get_settings().operator_token_hours
        )
    return SignedIn(token=token, expires_at=expires, operator=public(operator))


def _local_operator(email: str) -> OperatorRow:
    if get_settings().environment != "local":
        raise errors.Forbidden("Signing in by email is only possible in a local run.")
    with transaction() as conn:
        found = operators.find_by_email(conn, email=email)
        if found is None and operators.count_active(conn) == 0:
            # The first person to open a fresh local console becomes its admin.
            return operators.upsert(conn, email=email, display_name=_name_from(email), role="admin")
    if found is None or not found.active:
        raise errors.Forbidden(NOT_AN_OPERATOR)
    return found


def _google_operator(id_token: str) -> OperatorRow:
    settings = get_settings()
    if not settings.google_oauth_client_id:
        raise errors.Forbidden("Google sign-in is not configured (GOOGLE_OAUTH_CLIENT_ID).")
    claims = verify_google_id_token(id_token, audience=settings.google_oauth_client_id)
    if settings.google_workspace_domain and claims.get("hd") != settings.google_workspace_domain:
        raise errors.Forbidden(NOT_AN_OPERATOR)
    with connection() as conn:
        found = operators.find_by_email(conn, email=str(claims.get("email", "")))
    if found is None or not found.active:
        raise errors.Forbidden(NOT_AN_OPERATOR)
    return found


def authenticate(token: str | None) -> OperatorRow:
    """The signed-in operator a bearer token belongs to; Unauthorized otherwise."""
    if not token:
        raise errors.Unauthorized(SIGN_IN_AGAIN)
    with connection() as conn:
        operator = operators.operator_for_token(conn, token_hash=hash_token(token))
    if operator is None:
        raise errors.Unauthorized(SIGN_IN_AGAIN)
    return operator


def require_admin(operator: OperatorRow) -> None:
    """Admins only: managing operators (and, later, the knowledge base)."""
    if operator.role != "admin":
        raise errors.Forbidden("Only an admin may do this.")


def sign_out(token: str) -> None:
    """End this token's session."""
    with connection() as conn:
        operators.revoke_token(conn, token_hash=hash_token(token))


def list_operators() -> OperatorList:
    """Every operator of the team."""
    with connection() as conn:
        return OperatorList(operators=[public(row) for row in operators.list_all(conn)])


def add_operator(request: OperatorCreate) -> OperatorPublic:
    """Add (or reactivate) an operator."""
    with connection() as conn:
        row = operators.upsert(
            conn, email=request.email, display_name=request.display_name or _name_from(request.email), role=request.role
        )
    return public(row)


def remove_operator(email: str) -> bool:
    """Stop an operator from signing in and end their sessions; False when there is no such operator."""
    with transaction() as conn:
        found = operators.find_by_email(conn, email=email)
        return found is not None and operators.deactivate(conn, operator_id=found.id)


def public(row: OperatorRow) -> OperatorPublic:
    """The API's view of an operator."""
    return OperatorPublic.model_validate(vars(row))


def _name_from(email: str) -> str:
    return email.split("@", 1)[0].replace(".", " ").replace("_", " ").title()
