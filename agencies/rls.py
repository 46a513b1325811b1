# ruff: noqa: S608 - the SQL here is built from model table names only; values are parameters.
"""PostgreSQL row-level security: the second wall behind the tenant manager.

A web request runs as the role `bridge_agency` with `bridge.agency` set to its agency's id
(agencies.middleware). Every agency-owned table has a policy for that role admitting only the
rows of that agency, for reading and for writing, so a raw query or a view that forgot the
manager still sees one agency. The role is not the tables' owner, so the policies bind it; the
owner (migrations, Celery's deployment-wide sweeps, management commands) is not bound.
"""

from django.apps import apps
from django.db import connection

ROLE = "bridge_agency"
SETTING = "bridge.agency"
# The agency this connection is bound to, in a policy (NULL when none: no row matches).
CURRENT_AGENCY = f"NULLIF(current_setting('{SETTING}', true), '')::bigint"


def agency_tables() -> list[str]:
    from agencies.models import AgencyOwned  # noqa: PLC0415 - this module is read by migrations

    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AgencyOwned) and not model._meta.proxy and model._meta.managed
    )


def install(schema_editor, tables=None) -> None:
    """Create the role (once per cluster), grant it the tables, and a policy on each
    agency-owned table. Idempotent: run again by each migration that adds such a table."""
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
        f"CREATE ROLE {ROLE} NOLOGIN; END IF; END $$"
    )
    execute(f"GRANT {ROLE} TO CURRENT_USER")
    execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}")
    execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
    execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {ROLE}"
    )
    execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {ROLE}")
    for table in tables if tables is not None else agency_tables():
        execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        execute(f"DROP POLICY IF EXISTS agency_isolation ON {table}")
        execute(
            f"CREATE POLICY agency_isolation ON {table} TO {ROLE} "
            f"USING (agency_id = {CURRENT_AGENCY}) WITH CHECK (agency_id = {CURRENT_AGENCY})"
        )


def enter(agency_id: int) -> bool:
    """Bind this connection to one agency (a request's start). Sent on the driver's own cursor:
    it is the connection's set-up, not one of the page's queries (which the query-count tests
    pin)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block and connection.needs_rollback:
        return False
    # Django checks a kept-alive connection on its first cursor of a request; this set-up runs
    # before that, on the driver's cursor, so it asks for the check itself (a connection the
    # database dropped is replaced, not used until it is old enough to be closed).
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('role', %s, false), set_config(%s, %s, false)",
            [ROLE, SETTING, str(agency_id)],
        )
    return True


def leave() -> None:
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    try:
        with connection.connection.cursor() as cursor:
            cursor.execute("RESET role; RESET bridge.agency")
    except Exception:  # noqa: BLE001, S110 - an aborted transaction's rollback undoes the set-up itself
        pass


# --- the regional figures ----------------------------------------------------------------
# The regional view (dashboard/regional.py) sums the figures of the agencies that agreed to
# share them. It reads as a second role, `bridge_regional`, which may only SELECT and whose
# policy admits the rows of a sharing agency: an agency that does not share stays behind the
# database's wall even if a regional query forgot its filter. The ordinary role's policies are
# untouched, so no other page's plan changes.
REGIONAL_ROLE = "bridge_regional"


def install_regional(schema_editor, tables=None) -> None:
    """Create the read-only regional role and its policy on each agency-owned table.
    Idempotent, like install()."""
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{REGIONAL_ROLE}') THEN "
        f"CREATE ROLE {REGIONAL_ROLE} NOLOGIN; END IF; END $$"
    )
    execute(f"GRANT {REGIONAL_ROLE} TO CURRENT_USER")
    execute(f"GRANT USAGE ON SCHEMA public TO {REGIONAL_ROLE}")
    execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {REGIONAL_ROLE}")
    execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {REGIONAL_ROLE}")
    for table in tables if tables is not None else agency_tables():
        execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        execute(f"DROP POLICY IF EXISTS regional_figures ON {table}")
        execute(
            f"CREATE POLICY regional_figures ON {table} FOR SELECT TO {REGIONAL_ROLE} "
            "USING (agency_id IN (SELECT id FROM agencies_agency WHERE shares_regional_figures))"
        )


class regional:  # noqa: N801 - used as a context manager, like contextlib's
    """Read as the regional role inside the block, if this connection is bound to an agency
    (a web request); elsewhere (the owner: a command, the benchmark) nothing changes. Set and
    restored on the driver's own cursor, like enter(), so the pinned query counts see only the
    figures' queries."""

    def __enter__(self):
        self.restore = None
        if connection.vendor != "postgresql" or connection.connection is None:
            return self
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('role'), current_setting(%s, true)", [SETTING])
            role, agency = cursor.fetchone()
            if role == ROLE:
                cursor.execute("SELECT set_config('role', %s, false)", [REGIONAL_ROLE])
                self.restore = agency
        return self

    def __exit__(self, *exc):
        if self.restore is None:
            return False
        try:
            with connection.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('role', %s, false), set_config(%s, %s, false)",
                    [ROLE, SETTING, self.restore],
                )
        except Exception:  # noqa: BLE001, S110 - an aborted transaction's rollback undoes the switch itself
            pass
        return False


# --- django-auditlog's change log ----------------------------------------------------------
# auditlog_logentry is a third-party table with no agency column. Each of its rows (a diff,
# which can hold a contact's or a submitter's details) is mirrored by an agency-owned
# audit_entry in the same transaction (audit.receivers); the row is that agency's. A function
# run as the owner reads the mirror's agency, so the policy holds even though audit_entry is
# itself behind the wall. A diff not yet mirrored is visible only inside the transaction that
# is writing it, which is the one writing its mirror next.
CHANGE_LOG_TABLE = "auditlog_logentry"
CHANGE_LOG_AGENCY = "bridge_change_agency"


def install_change_log(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(
        f"CREATE OR REPLACE FUNCTION {CHANGE_LOG_AGENCY}(change_id bigint) RETURNS bigint "
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS "
        "$$ SELECT agency_id FROM audit_entry WHERE log_entry_id = change_id $$"
    )
    execute(f"REVOKE ALL ON FUNCTION {CHANGE_LOG_AGENCY}(bigint) FROM PUBLIC")
    execute(f"GRANT EXECUTE ON FUNCTION {CHANGE_LOG_AGENCY}(bigint) TO {ROLE}")
    execute(f"ALTER TABLE {CHANGE_LOG_TABLE} ENABLE ROW LEVEL SECURITY")
    execute(f"DROP POLICY IF EXISTS agency_isolation ON {CHANGE_LOG_TABLE}")
    execute(
        f"CREATE POLICY agency_isolation ON {CHANGE_LOG_TABLE} TO {ROLE} "
        f"USING (COALESCE({CHANGE_LOG_AGENCY}(id), {CURRENT_AGENCY}) = {CURRENT_AGENCY}) "
        "WITH CHECK (true)"
    )


def uninstall_change_log(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP POLICY IF EXISTS agency_isolation ON {CHANGE_LOG_TABLE}")
    schema_editor.execute(f"ALTER TABLE {CHANGE_LOG_TABLE} DISABLE ROW LEVEL SECURITY")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {CHANGE_LOG_AGENCY}(bigint)")
