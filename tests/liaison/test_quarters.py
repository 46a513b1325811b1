import datetime as dt

from liaison.quarters import Quarter


def test_quarters_calendar_year():
    q = Quarter.containing(dt.date(2025, 5, 17))
    assert (q.year, q.number, q.start, q.end) == (2025, 2, dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert q.key == "2025-Q2" and Quarter.parse("2025-q2") == q
    assert [x.key for x in q.last(3)] == ["2024-Q4", "2025-Q1", "2025-Q2"]


def test_quarters_fiscal_year_starting_in_october(settings):
    settings.BRIDGE_FISCAL_YEAR_START_MONTH = 10
    q = Quarter.containing(dt.date(2025, 10, 1))
    assert (q.year, q.number) == (2026, 1)
    assert q.start == dt.date(2025, 10, 1) and q.end == dt.date(2025, 12, 31)
    assert Quarter(2026, 4).start == dt.date(2026, 7, 1)
    from django.utils import translation

    with translation.override("en"):
        assert str(q) == "FY2026 Q1"
    with translation.override("es"):
        assert str(q) == "AF2026 T1"


def test_quarters_fiscal_year_starting_in_july(settings):
    settings.BRIDGE_FISCAL_YEAR_START_MONTH = 7
    assert Quarter.containing(dt.date(2025, 6, 30)) == Quarter(2025, 4)
    assert Quarter.containing(dt.date(2025, 7, 1)) == Quarter(2026, 1)


def test_quarters_parse_rejects_garbage():
    assert Quarter.parse("2025-Q5") is None
    assert Quarter.parse("<script>") is None
    assert Quarter.parse(None) is None
