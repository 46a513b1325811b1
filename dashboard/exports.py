"""CSV and Excel exports of the dashboard's figures and of the contacts behind them.

Both are streamed so that a million contacts keep the process's memory flat: CSV row by row
from a server-side cursor, Excel through openpyxl's write-only mode into a temporary file that
is then sent in blocks. Exports never contain personal data of community members: contacts
hold none by design, and the free-text fields that could (notes, interpreter details) and
partners' contact details are left out; an informal leader is named only by that role.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from agencies import context as agency_context
from agencies import rls
from audit import events as audit_events
from audit.services import audit_record
from languages import content
from liaison.languages import language_name
from liaison.models import Contact, Partner, PriorityCommunity, Topic
from liaison.quarters import Quarter

from .selectors import Figures, Filters

CHUNK = 2000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SHEET_ROWS = 1_000_000  # Excel holds 1,048,576 rows a sheet: continue on another sheet


def safe(value):
    """Keep a spreadsheet from running a cell as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- figures ---------------------------------------------------------------------------


def figure_sections(
    fig: Figures, extra: Iterable[tuple[str, list, list]] = ()
) -> list[tuple[str, list, list]]:
    """(title, header, rows) for each table the dashboard shows."""
    f = fig.filters
    scope = [
        [_("Quarter"), str(f.quarter), f.quarter.key],
        [_("From"), f.quarter.start.isoformat(), ""],
        [_("To"), f.quarter.end.isoformat(), ""],
        [_("Unit"), f.unit or _("All units"), ""],
        [
            _("Community"),
            str(content.localized(f.community, "name")) if f.community else _("All communities"),
            "",
        ],
        [_("Contacts"), fig.total_contacts, ""],
        [_("People reached"), fig.total_people, ""],
        [_("Contacts with an interpreter"), fig.interpreter, f"{fig.interpreter_percent}%"],
        [_("Priority communities with no contact"), len(fig.gap), ""],
    ]
    sections = [
        (_("Summary"), [_("Figure"), _("Value"), ""], scope),
        (
            _("Coverage gap: priority communities with no contact"),
            [_("Community")],
            [[content.localized(c, "name")] for c in fig.gap],
        ),
        (
            _("Contacts per liaison"),
            [
                _("Liaison"),
                _("Unit"),
                _("Contacts"),
                _("Target"),
                _("Percent of target"),
                _("People reached"),
            ],
            [
                [r["name"], r["liaison"].unit, r["contacts"], r["target"], r["percent"], r["people"]]
                for r in fig.liaisons
            ],
        ),
        (
            _("Contacts per priority community"),
            [_("Community"), _("Contacts"), _("People reached")],
            [
                [content.localized(r["community"], "name"), r["contacts"], r["people"]]
                for r in fig.communities
            ],
        ),
        (
            _("Contacts by kind"),
            [_("Kind"), _("Contacts"), _("People reached")],
            [[r["label"], r["contacts"], r["people"]] for r in fig.kinds],
        ),
        (
            _("Contacts by language used"),
            [_("Language"), _("Contacts"), _("People reached")],
            [[r["label"], r["contacts"], r["people"]] for r in fig.languages],
        ),
        (
            _("Trend: last eight quarters"),
            [_("Quarter"), _("Contacts"), _("People reached"), _("Events held"), _("Attendance")],
            [
                [str(r["quarter"]), r["contacts"], r["people"], r.get("events", ""), r.get("attendance", "")]
                for r in fig.trend
            ],
        ),
    ]
    return _untranslated_note([*sections, *extra])


def _untranslated_note(sections: list[tuple[str, list, list]]) -> list[tuple[str, list, list]]:
    """Names become plain text (a spreadsheet cell has no language); when any is shown in
    another language than the reader's, a last section says so, in the reader's language."""
    fallback = False
    out = []
    for title, header, rows in sections:
        cells = []
        for row in rows:
            fallback = fallback or any(isinstance(v, content.Localized) and v.is_fallback for v in row)
            cells.append([str(v) if isinstance(v, content.Localized) else v for v in row])
        out.append((title, header, cells))
    if fallback:
        note = _(
            "Some names in this export are not yet translated into your language and are in the language they were written in."
        )
        out.append((_("Note"), [_("Note")], [[note]]))
    return out


def figures_csv(sections, filename: str) -> StreamingHttpResponse:
    def rows():
        for i, (title, header, body) in enumerate(sections):
            if i:
                yield []
            yield [title]
            yield header
            yield from body

    return _csv_response(rows(), filename)


def figures_xlsx(sections, filename: str) -> FileResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    used = set()
    for title, header, body in sections:
        name = _sheet_name(title, used)
        ws = wb.create_sheet(name)
        ws.append([safe(title)])
        ws.append([safe(h) for h in header])
        for row in body:
            ws.append([safe(v) for v in row])
    return _xlsx_response(wb, filename)


SHEET_NAME_MAX = 31  # Excel's limit


def _fit_words(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after a whole word where it must be cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut[:limit].rstrip(" ,;:-–(")


def _sheet_name(title: str, used: set) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook,
    never cut in the middle of a word, in any language."""
    base = " ".join("".join(ch for ch in str(title) if ch not in "[]:*?/\\").split()) or "Sheet"
    name, n = _fit_words(base, SHEET_NAME_MAX), 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = _fit_words(base, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
    used.add(name.lower())
    return name


# --- contacts --------------------------------------------------------------------------


def contact_header() -> list[str]:
    return [
        _("Contact number"),
        _("Date"),
        _("Quarter"),
        _("Liaison"),
        _("Badge or staff number"),
        _("Unit"),
        _("Kind"),
        _("Communities"),
        _("People reached"),
        _("Language used"),
        _("Interpreter used"),
        _("Partner"),
        _("Topics"),
        _("Follow-up due"),
    ]


def _contacts(filters: Filters | None):
    qs = Contact.objects.all()
    if filters is not None:
        qs = qs.filter(date__gte=filters.quarter.start, date__lte=filters.quarter.end)
        if filters.unit:
            qs = qs.filter(liaison__unit=filters.unit)
        if filters.community is not None:
            qs = qs.filter(communities=filters.community)
    return qs


def contact_count(filters: Filters | None) -> int:
    """How many rows contact_rows(filters) yields (for the audit trail's record of an export)."""
    return _contacts(filters).count()


def contact_rows(filters: Filters | None) -> Iterator[list]:
    """The contacts behind the figures (all of them when `filters` is None), oldest first,
    read in chunks from a server-side cursor: memory does not grow with the number of rows."""
    qs = _contacts(filters).order_by("date", "id")
    qs = qs.values_list(
        "id",
        "date",
        "liaison__user__first_name",
        "liaison__user__last_name",
        "liaison__user__username",
        "liaison__badge_number",
        "liaison__unit",
        "kind",
        "people_reached",
        "language",
        "interpreter_used",
        "partner__name",
        "partner__kind",
        "follow_up_due",
    )
    # Names in the reader's language, or along its fallback chain (languages.content).
    communities = {
        c.pk: str(content.localized(c, "name"))
        for c in PriorityCommunity.objects.only("id", *content.read_columns("name"))
    }
    topics = {
        t.pk: str(content.localized(t, "name"))
        for t in Topic.objects.only("id", *content.read_columns("name"))
    }
    kinds = {k: str(v) for k, v in Contact.Kind.choices}
    leader = str(Partner.Kind.LEADER.label)
    yes, no = _("Yes"), _("No")
    by_community = Contact.communities.through.objects
    by_topic = Contact.topics.through.objects
    quarters: dict = {}

    chunk: list[tuple] = []

    def flush(chunk):
        ids = [r[0] for r in chunk]
        comm, top = defaultdict(list), defaultdict(list)
        for cid, pid in by_community.filter(contact_id__in=ids).values_list(
            "contact_id", "prioritycommunity_id"
        ):
            comm[cid].append(communities.get(pid, ""))
        for cid, tid in by_topic.filter(contact_id__in=ids).values_list("contact_id", "topic_id"):
            top[cid].append(topics.get(tid, ""))
        for (
            pk,
            day,
            first,
            last,
            username,
            badge,
            unit,
            kind,
            people,
            lang,
            interp,
            partner,
            pkind,
            follow,
        ) in chunk:
            month = (day.year, day.month)
            if month not in quarters:
                quarters[month] = Quarter.containing(day).key
            yield [
                pk,
                day,
                quarters[month],
                f"{first} {last}".strip() or username,
                badge,
                unit,
                kinds.get(kind, kind),
                "; ".join(sorted(comm[pk])),
                people,
                language_name(lang),
                yes if interp else no,
                leader if pkind == Partner.Kind.LEADER else (partner or ""),
                "; ".join(sorted(top[pk])),
                follow or "",
            ]

    for row in qs.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def contacts_csv(filters: Filters | None, filename: str) -> StreamingHttpResponse:
    def rows():
        yield contact_header()
        yield from contact_rows(filters)

    return _csv_response(rows(), filename)


def contacts_xlsx(filters: Filters | None, filename: str) -> FileResponse:
    wb, _rows = _contacts_workbook(contact_rows(filters), contact_header())
    return _xlsx_response(wb, filename)


def _contacts_workbook(rows: Iterable[list], header: list, progress=None, every: int = 0):
    """A write-only workbook (openpyxl spools each sheet to disk: memory stays flat) of the
    rows, a new sheet every SHEET_ROWS; returns (workbook, rows written)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws, n, on_sheet, sheet = None, 0, SHEET_ROWS, 0
    for row in rows:
        if on_sheet >= SHEET_ROWS:
            sheet += 1
            ws = wb.create_sheet(_("Contacts") if sheet == 1 else f"{_('Contacts')} {sheet}")
            ws.append(header)
            on_sheet = 0
        ws.append([safe(v) for v in row])
        on_sheet += 1
        n += 1
        if progress is not None and n % every == 0:
            progress(n)
    if ws is None:
        wb.create_sheet(_("Contacts")).append(header)
    return wb, n


def contacts_to_file(filters: Filters | None, fmt: str, path, *, progress=None, every: int = 10000) -> int:
    """Write the contacts export to `path` (an export job's file) as CSV or Excel, calling
    `progress(rows)` every `every` rows. Returns the number of contacts written."""
    rows, header = contact_rows(filters), contact_header()
    if fmt == "xlsx":
        wb, n = _contacts_workbook(rows, header, progress, every)
        wb.save(path)
        return n
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel reads UTF-8 (Arabic)
        writer = csv.writer(f)
        writer.writerow([safe(v) for v in header])
        for row in rows:
            writer.writerow([safe(v) for v in row])
            n += 1
            if progress is not None and n % every == 0:
                progress(n)
    return n


# --- responses -------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    # The rows are read while the response streams, after AgencyMiddleware has let go of the
    # request's agency and of the connection's row-level security: read them inside both again,
    # or the export would hold every agency's contacts.
    agency_id = agency_context.current_id()

    def lines():
        yield "\ufeff"  # a byte-order mark so Excel opens UTF-8 (Arabic names) correctly
        bound = agency_id is not None and rls.enter(agency_id)
        try:
            with agency_context.use(agency_id):
                for row in rows:
                    yield writer.writerow([safe(v) for v in row])
        finally:
            if bound:
                rls.leave()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_response(wb, filename: str) -> FileResponse:
    # An anonymous temporary file: removed by the OS when the response closes it.
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )


def export_record(*, request, what: str, fmt: str, filters: Filters | None, rows: int, job=None) -> None:
    """Every export is on the audit trail: which one, with which filters, how many rows."""
    applied = (
        {"scope": "all"}
        if filters is None
        else {
            "quarter": filters.quarter.key,
            "unit": filters.unit or "",
            "community": filters.community.slug if filters.community is not None else "",
        }
    )
    audit_record(
        event=audit_events.EXPORT,
        request=request,
        data={
            "export": what,
            "format": fmt,
            "filters": applied,
            "rows": rows,
            **({"job": str(job.pk)} if job is not None else {}),
        },
    )
