"""Operators: signing in (Google, or by email in a local run), tokens, roles."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from shared.auth.google import verify_google_id_token
from shared.auth.tokens import hash_token, new_session_token
from shared.core import errors
from shared.core.settings import get_settings
from shared.db import operators
from shared.db.engine import connection, transaction
from shared.db.operators import OperatorRow
from shared.schemas.console import OperatorCreate, OperatorList, OperatorPublic, Role, SignedIn, SignIn, SignInOptions

SIGN_IN_AGAIN = "Please sign in."
NOT_AN_OPERATOR = "This account is not a member of the support team."
NO_SUCH_OPERATOR = "No such operator."


def sign_in_options(*, from_loopback: bool) -> SignInOptions:
    """Who may sign in here and how, for the sign-in page."""
    settings = get_settings()
    email = _email_sign_in_allowed(from_loopback)
    first = False
    if email:
        with connection() as conn:
            first = operators.count_active(conn) == 0
    return SignInOptions(
        google_client_id=settings.google_oauth_client_id or None,
        workspace_domain=settings.google_workspace_domain or None,
        email=email,
        first_sign_in_becomes_admin=first,
    )


def _email_sign_in_allowed(from_loopback: bool) -> bool:
    # Password-less: only a developer's own machine, in a run that says it is local.
    return get_settings().environment == "local" and from_loopback


def sign_in(request: SignIn, *, from_loopback: bool = False) -> SignedIn:
    """Exchange a Google ID token (or, in a local run and from its own machine, an email) for our operator token."""
    if request.local_email is not None:
        operator = _local_operator(request.local_email, from_loopback)
    else:
        assert request.id_token is not None
        operator = _google_operator(request.id_token)
    token = new_session_token()
    with connection() as conn:
        expires = operators.store_token(
            conn, token_hash=hash_token(token), operator_id=operator.id, hours=get_settings().operator_token_hours
        )
    return SignedIn(token=token, expires_at=expires, operator=public(operator))


def _local_operator(email: str, from_loopback: bool) -> OperatorRow:
    if get_settings().environment != "local":
        raise errors.Forbidden("Signing in by email is only possible in a local run.")
    if not _email_sign_in_allowed(from_loopback):
        raise errors.Forbidden("Signing in by email is only possible from the machine the local run is on.")
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


def change_role(operator_id: uuid.UUID, role: Role, *, by: OperatorRow) -> OperatorPublic:
    """Make an operator an agent or an admin; Conflict for yourself or for the last admin."""
    if operator_id == by.id:
        raise errors.Conflict("You cannot change your own role: ask another admin.")
    with transaction() as conn:
        admins = _admins_still_including(conn, by)
        if role != "admin" and admins == [operator_id]:
            raise errors.Conflict("The team needs at least one admin.")
        row = operators.set_role(conn, operator_id=operator_id, role=role)
        if row is None:
            raise errors.NotFound(NO_SUCH_OPERATOR)
        operators.audit(conn, actor_id=by.id, action="change_role", operator_id=operator_id, details={"role": role})
    return public(row)


def remove(operator_id: uuid.UUID, *, by: OperatorRow) -> None:
    """Remove an operator and end their sessions; Conflict for yourself or for the last admin."""
    if operator_id == by.id:
        raise errors.Conflict("You cannot remove yourself: ask another admin.")
    with transaction() as conn:
        admins = _admins_still_including(conn, by)
        if admins == [operator_id]:
            raise errors.Conflict("The team needs at least one admin.")
        found = operators.find(conn, operator_id=operator_id)
        if found is None or not found.active:
            raise errors.NotFound(NO_SUCH_OPERATOR)
        operators.deactivate(conn, operator_id=operator_id)
        operators.audit(conn, actor_id=by.id, action="remove", operator_id=operator_id, details={})


def _admins_still_including(conn: sa.Connection, by: OperatorRow) -> list[uuid.UUID]:
    """The active admins, locked; Forbidden when `by` stopped being one since signing this request in."""
    admins = operators.lock_active_admins(conn)
    if by.id not in admins:
        raise errors.Forbidden("Only an admin may do this.")
    return admins


def public(row: OperatorRow) -> OperatorPublic:
    """The API's view of an operator."""
    return OperatorPublic.model_validate(vars(row))


def _name_from(email: str) -> str:
    return email.split("@", 1)[0].replace(".", " ").replace("_", " ").title()
