# ruff: noqa: S608 - SQL here is assembled from constants and model table names only; every
# value is passed as a query parameter.
"""Running totals of contacts per month, exact under any concurrency. The design, in one place:

Why triggers: the dashboard must show a contact the moment it is logged, and stay fast at a
million contacts. A refresh job would leave the figures minutes old; counting the raw
contacts on every request costs hundreds of milliseconds once the community breakdown joins
the many-to-many table. A statement-level trigger on the liaison tables records the change
inside the writer's own transaction, so the figures are never stale and the liaison app does
not need to know the dashboard exists (the architecture's arrows stay one way).

1. Append, never update. Every change is "minus the old rows, plus the new rows" (an insert,
   an edit of date, kind, language, liaison or people reached, and a delete are one code
   path). The triggers append those changes, summed per statement, to the delta tables
   (LiaisonDelta, CommunityDelta). No writer ever updates a shared total row, so writers never
   wait for one another on the totals and cannot deadlock there, and the totals' rows are not
   rewritten (and bloated) by every contact save.
2. Fold periodically. compact() (Celery beat, every DASHBOARD_COMPACT_SECONDS) moves the
   committed deltas into the totals (LiaisonMonth, CommunityMonth) in one statement
   (DELETE ... RETURNING feeding an upsert), under an advisory lock so one fold runs at a time.
   A delta not yet committed is simply left for the next fold.
3. Read both. A reader sums totals UNION ALL deltas in one statement, hence one snapshot: it
   sees a delta either still in the delta table or already in the totals, never both, never
   neither. The figures equal a recount of the contacts in that snapshot.
4. Count each link exactly once. A contact's communities live in the many-to-many table, and
   a link row is counted with its contact's values (date, kind, ...). Two transactions, one
   editing the contact and one adding a link, would each read the other's row as it was before
   (READ COMMITTED) and count the link at the old date. So a row trigger locks a link's
   contact (FOR NO KEY UPDATE) before the link row is written: a link write waits for an edit
   in flight to commit, and its statement trigger then reads the contact as committed; an edit
   that comes second waits for the link's transaction, and its trigger then sees the link. The contact trigger counts the links
   that exist; the link trigger counts links whose contact exists: whichever is written second
   counts (the foreign keys are deferred). The liaison services lock the contact before
   writing it (contact_update, contact_delete), so the service's own writes take their locks in
   one order: the contact, then its links.

If liaison renames one of the columns used below, the triggers fail loudly in tests
(tests/dashboard/test_rollup.py, test_rollup_concurrency.py); rebuild() restores exact totals
from the contacts at any time (`manage.py dashboard_rebuild`).
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


def _append_liaison(rows: str) -> str:
    """`rows` yields (s, date, liaison_id, kind, language, interpreter_used, people_reached)."""
    return f"""
    INSERT INTO dashboard_liaisondelta (month, dim, liaison_id, value, contacts, people)
    SELECT date_trunc('month', r.date)::date, d.dim, r.liaison_id, {value_sql("r")},
           SUM(r.s), SUM(r.s * r.people_reached)
    FROM ({rows}) r CROSS JOIN {DIMS_SQL} d
    GROUP BY 1, 2, 3, 4
    HAVING SUM(r.s) <> 0 OR SUM(r.s * r.people_reached) <> 0;
    """


def _append_community(rows: str) -> str:
    """`rows` yields (s, community_id, date, liaison_id, kind, language, interpreter_used,
    people_reached)."""
    return f"""
    INSERT INTO dashboard_communitydelta (month, dim, community_id, liaison_id, value, contacts, people)
    SELECT date_trunc('month', r.date)::date, d.dim, r.community_id, r.liaison_id, {value_sql("r")},
           SUM(r.s), SUM(r.s * r.people_reached)
    FROM ({rows}) r CROSS JOIN {DIMS_SQL} d
    GROUP BY 1, 2, 3, 4, 5
    HAVING SUM(r.s) <> 0 OR SUM(r.s * r.people_reached) <> 0;
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
        {_append_liaison(contact_rows(1, "new_rows"))}
        {_append_community(contact_links(1, "new_rows"))}
      ELSIF TG_OP = 'DELETE' THEN
        {_append_liaison(contact_rows(-1, "old_rows"))}
        {_append_community(contact_links(-1, "old_rows"))}
      ELSE
        {_append_liaison(contact_rows(-1, "old_rows") + " UNION ALL " + contact_rows(1, "new_rows"))}
        {_append_community(contact_links(-1, "old_rows") + " UNION ALL " + contact_links(1, "new_rows"))}
      END IF;
      RETURN NULL;
    END $$;
    """
    link_fn = f"""
    CREATE OR REPLACE FUNCTION dashboard_link_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {_append_community(link_rows(1, "new_rows"))}
      ELSIF TG_OP = 'DELETE' THEN
        {_append_community(link_rows(-1, "old_rows"))}
      ELSE
        {_append_community(link_rows(-1, "old_rows") + " UNION ALL " + link_rows(1, "new_rows"))}
      END IF;
      RETURN NULL;
    END $$;
    """
    # 4.: before a link row is written, its contact is locked (FOR NO KEY UPDATE), so a link
    # write takes its locks in the order the services do (the contact, then its links) and
    # the statement trigger that counts it reads the contact as committed.
    lock_fn = f"""
    CREATE OR REPLACE FUNCTION dashboard_link_lock_contact() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM {contact} c WHERE c.id = OLD.contact_id FOR NO KEY UPDATE;
        RETURN OLD;
      END IF;
      IF TG_OP = 'UPDATE' AND OLD.contact_id <> NEW.contact_id THEN
        PERFORM 1 FROM {contact} c WHERE c.id IN (OLD.contact_id, NEW.contact_id) ORDER BY c.id FOR NO KEY UPDATE;
      ELSE
        PERFORM 1 FROM {contact} c WHERE c.id = NEW.contact_id FOR NO KEY UPDATE;
      END IF;
      RETURN NEW;
    END $$;
    """
    out = [contact_fn, link_fn, lock_fn]
    out.append(f"DROP TRIGGER IF EXISTS dashboard_totals_l_lock ON {link};")
    out.append(
        f"CREATE TRIGGER dashboard_totals_l_lock BEFORE INSERT OR UPDATE OR DELETE ON {link} "
        "FOR EACH ROW EXECUTE FUNCTION dashboard_link_lock_contact();"
    )
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
    out.append(f"DROP TRIGGER IF EXISTS dashboard_totals_l_lock ON {link};")
    out += [
        "DROP FUNCTION IF EXISTS dashboard_link_lock_contact();",
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
        "DELETE FROM dashboard_liaisondelta;",
        "DELETE FROM dashboard_communitydelta;",
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
        cur.execute("SELECT pg_advisory_xact_lock(%s);", [FOLD_LOCK])  # no fold meanwhile
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
        cur.execute("SELECT pg_advisory_xact_lock(%s);", [FOLD_LOCK])
        for sql in install_sql(contact, link) + rebuild_sql(contact, link):
            cur.execute(sql)


FOLD_LOCK = 7_303_001  # pg advisory lock: one fold (or rebuild) at a time


def _fold_sql(delta: str, total: str, key: str) -> str:
    return f"""
    WITH moved AS (DELETE FROM {delta} RETURNING {key}, contacts, people)
    INSERT INTO {total} AS t ({key}, contacts, people)
    SELECT {key}, SUM(contacts), SUM(people) FROM moved GROUP BY {key} ORDER BY {key}
    ON CONFLICT ({key}) DO UPDATE
      SET contacts = t.contacts + EXCLUDED.contacts, people = t.people + EXCLUDED.people;
    """


FOLDS = [
    ("dashboard_liaisondelta", "dashboard_liaisonmonth", "dim, month, liaison_id, value"),
    ("dashboard_communitydelta", "dashboard_communitymonth", "dim, month, community_id, liaison_id, value"),
]


def compact() -> dict:
    """Fold the committed deltas into the totals (2.). Safe to run at any time and from
    several workers at once: a second fold finds the lock taken and returns at once."""
    if not enabled():
        return {"folded": 0}
    folded = 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s);", [FOLD_LOCK])
        if not cur.fetchone()[0]:
            return {"folded": 0, "skipped": True}
        for delta, total, key in FOLDS:
            cur.execute(_fold_sql(delta, total, key))
            folded += max(cur.rowcount, 0)
    return {"folded": folded}


def relation_sql(per_community: bool) -> tuple[str, str]:
    """The totals and the deltas not folded yet, to be read together in one statement (3.):
    (totals table, deltas table)."""
    if per_community:
        return "dashboard_communitymonth", "dashboard_communitydelta"
    return "dashboard_liaisonmonth", "dashboard_liaisondelta"
