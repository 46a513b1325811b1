# ruff: noqa: S608 - SQL here is assembled from constants and model table names only; every
# value is passed as a query parameter.
"""Running totals of contacts per month, kept exact by PostgreSQL triggers.

Why triggers: the dashboard must show a contact the moment it is logged, and stay fast at a
million contacts. A refresh job would leave the figures minutes old; counting the raw
contacts on every request costs hundreds of milliseconds once the community breakdown joins
the many-to-many table. A statement-level trigger on the liaison tables adds the change to
the totals inside the writer's own transaction, so the totals are never stale and the liaison
app does not need to know the dashboard exists (the architecture's arrows stay one way).

Every change is applied as "minus the old rows, plus the new rows", so an insert, an edit (a
new date, kind, language, liaison or number of people) and a delete are the same code path,
and a write that changes nothing the dashboard counts nets to zero and writes nothing.

A contact's communities live in the many-to-many table. A link row is counted when both the
link and its contact exist: the trigger on each table joins the other, so whichever of the two
is written second does the counting, in any order (the foreign keys are deferred).

If liaison renames one of the columns used below, the triggers fail loudly in tests
(tests/dashboard/test_rollup.py); rebuild() restores exact totals from the contacts at any
time (`manage.py dashboard_rebuild`).
"""

from django.db import connection, transaction

DIMS_SQL = "(SELECT 'k' AS dim UNION ALL SELECT 'l' UNION ALL SELECT 'i')"


def value_sql(alias: str) -> str:
    return (
        f"CASE d.dim WHEN 'k' THEN {alias}.kind WHEN 'l' THEN {alias}.language "
        f"ELSE (CASE WHEN {alias}.interpreter_used THEN '1' ELSE '0' END) END"
    )


def month_sql(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _tables(apps=None):
    if apps is None:
        from liaison.models import Contact
    else:
        Contact = apps.get_model("liaison", "Contact")
    return Contact._meta.db_table, Contact.communities.through._meta.db_table


def _upsert_liaison(rows: str) -> str:
    """`rows` yields (s, date, liaison_id, kind, language, interpreter_used, people_reached)."""
    return f"""
    INSERT INTO dashboard_liaisonmonth AS t (month, dim, liaison_id, value, contacts, people)
    SELECT date_trunc('month', r.date)::date, d.dim, r.liaison_id, {value_sql("r")},
           SUM(r.s), SUM(r.s * r.people_reached)
    FROM ({rows}) r CROSS JOIN {DIMS_SQL} d
    GROUP BY 1, 2, 3, 4
    HAVING SUM(r.s) <> 0 OR SUM(r.s * r.people_reached) <> 0
    ON CONFLICT (dim, month, liaison_id, value) DO UPDATE
      SET contacts = t.contacts + EXCLUDED.contacts, people = t.people + EXCLUDED.people;
    """


def _upsert_community(rows: str) -> str:
    """`rows` yields (s, community_id, date, liaison_id, kind, language, interpreter_used,
    people_reached)."""
    return f"""
    INSERT INTO dashboard_communitymonth AS t (month, dim, community_id, liaison_id, value, contacts, people)
    SELECT date_trunc('month', r.date)::date, d.dim, r.community_id, r.liaison_id, {value_sql("r")},
           SUM(r.s), SUM(r.s * r.people_reached)
    FROM ({rows}) r CROSS JOIN {DIMS_SQL} d
    GROUP BY 1, 2, 3, 4, 5
    HAVING SUM(r.s) <> 0 OR SUM(r.s * r.people_reached) <> 0
    ON CONFLICT (dim, month, community_id, liaison_id, value) DO UPDATE
      SET contacts = t.contacts + EXCLUDED.contacts, people = t.people + EXCLUDED.people;
    """


COLS = "date, liaison_id, kind, language, interpreter_used, people_reached"


def install_sql(contact: str, link: str) -> list[str]:
    c_cols = ", ".join(f"c.{x}" for x in COLS.split(", "))

    def contact_rows(sign: int, table: str) -> str:
        return f"SELECT {sign} AS s, {COLS} FROM {table}"

    def contact_links(sign: int, table: str) -> str:
        # Links of the changed contacts that exist now: counted here, not by the link trigger.
        return (
            f"SELECT {sign} AS s, l.prioritycommunity_id AS community_id, {c_cols} "
            f"FROM {table} c JOIN {link} l ON l.contact_id = c.id"
        )

    def link_rows(sign: int, table: str) -> str:
        return (
            f"SELECT {sign} AS s, l.prioritycommunity_id AS community_id, {c_cols} "
            f"FROM {table} l JOIN {contact} c ON c.id = l.contact_id"
        )

    contact_fn = f"""
    CREATE OR REPLACE FUNCTION dashboard_contact_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {_upsert_liaison(contact_rows(1, "new_rows"))}
        {_upsert_community(contact_links(1, "new_rows"))}
      ELSIF TG_OP = 'DELETE' THEN
        {_upsert_liaison(contact_rows(-1, "old_rows"))}
        {_upsert_community(contact_links(-1, "old_rows"))}
      ELSE
        {_upsert_liaison(contact_rows(-1, "old_rows") + " UNION ALL " + contact_rows(1, "new_rows"))}
        {_upsert_community(contact_links(-1, "old_rows") + " UNION ALL " + contact_links(1, "new_rows"))}
      END IF;
      RETURN NULL;
    END $$;
    """
    link_fn = f"""
    CREATE OR REPLACE FUNCTION dashboard_link_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {_upsert_community(link_rows(1, "new_rows"))}
      ELSIF TG_OP = 'DELETE' THEN
        {_upsert_community(link_rows(-1, "old_rows"))}
      ELSE
        {_upsert_community(link_rows(-1, "old_rows") + " UNION ALL " + link_rows(1, "new_rows"))}
      END IF;
      RETURN NULL;
    END $$;
    """
    out = [contact_fn, link_fn]
    for table, fn, short in [
        (contact, "dashboard_contact_totals", "c"),
        (link, "dashboard_link_totals", "l"),
    ]:
        for event, ref in [
            ("INSERT", "NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ]:
            name = f"dashboard_totals_{short}_{event.lower()}"
            out.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            out.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {ref} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}();"
            )
    return out


def uninstall_sql(contact: str, link: str) -> list[str]:
    out = []
    for table, short in [(contact, "c"), (link, "l")]:
        for event in ("insert", "delete", "update"):
            out.append(f"DROP TRIGGER IF EXISTS dashboard_totals_{short}_{event} ON {table};")
    out += [
        "DROP FUNCTION IF EXISTS dashboard_contact_totals();",
        "DROP FUNCTION IF EXISTS dashboard_link_totals();",
    ]
    return out


def rebuild_sql(contact: str, link: str) -> list[str]:
    """Recount every total from the contacts (the triggers keep them exact after that)."""
    month = month_sql("c.date", "postgresql")
    return [
        "DELETE FROM dashboard_liaisonmonth;",
        "DELETE FROM dashboard_communitymonth;",
        f"""INSERT INTO dashboard_liaisonmonth (month, dim, liaison_id, value, contacts, people)
        SELECT {month}, d.dim, c.liaison_id, {value_sql("c")}, COUNT(*), SUM(c.people_reached)
        FROM {contact} c CROSS JOIN {DIMS_SQL} d GROUP BY 1, 2, 3, 4;""",
        f"""INSERT INTO dashboard_communitymonth (month, dim, community_id, liaison_id, value, contacts, people)
        SELECT {month}, d.dim, l.prioritycommunity_id, c.liaison_id, {value_sql("c")},
               COUNT(*), SUM(c.people_reached)
        FROM {contact} c JOIN {link} l ON l.contact_id = c.id CROSS JOIN {DIMS_SQL} d
        GROUP BY 1, 2, 3, 4, 5;""",
    ]


def enabled(conn=None) -> bool:
    """Whether the running totals are kept (PostgreSQL); elsewhere the contacts are counted."""
    return (conn or connection).vendor == "postgresql"


def install(apps=None, schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    if not enabled(conn):
        return
    contact, link = _tables(apps)
    with conn.cursor() as cur:
        # Nobody may write contacts between the recount and the trigger taking over.
        cur.execute(f"LOCK TABLE {contact}, {link} IN SHARE ROW EXCLUSIVE MODE;")
        for sql in install_sql(contact, link) + rebuild_sql(contact, link):
            cur.execute(sql)


def uninstall(apps=None, schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    if not enabled(conn):
        return
    with conn.cursor() as cur:
        for sql in uninstall_sql(*_tables(apps)):
            cur.execute(sql)


def rebuild() -> None:
    """Recount the totals from the contacts, e.g. after rows were changed by hand with the
    triggers disabled or a backup was restored without them."""
    if not enabled():
        return
    contact, link = _tables()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"LOCK TABLE {contact}, {link} IN SHARE ROW EXCLUSIVE MODE;")
        for sql in install_sql(contact, link) + rebuild_sql(contact, link):
            cur.execute(sql)
