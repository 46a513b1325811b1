"""Scoping in one place: every agency-owned model's default manager shows only the rows of the
agency being worked for (agencies.context), so a view, a form's choices, the admin and a
related manager cannot reach another agency's record by forgetting a filter; PostgreSQL's
row-level security (agencies.rls) is the second wall. `all_agencies` is the deliberate way
round it, for the regional figures and the deployment-wide sweeps.
"""

from django.db import models

from agencies import context


class AgencyQuerySet(models.QuerySet):
    # Made by the tenant manager while no agency was set (a form field's queryset, built when
    # its module is imported): the agency is added when the queryset is next copied or read,
    # so a form's choices (each form copies its field's queryset) show only the request's agency.
    _agency_pending = False

    def _scope_now(self, qs):
        agency_id = context.current_id()
        if agency_id is not None:
            qs.query.add_q(models.Q(agency_id=agency_id))
            qs._agency_pending = False
        return qs

    def _clone(self):
        clone = super()._clone()
        if self._agency_pending:
            clone._agency_pending = True
            self._scope_now(clone)
        return clone

    def _fetch_all(self):
        if self._agency_pending and self._result_cache is None:
            self._scope_now(self)
        super()._fetch_all()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fallback = None
        for obj in objs:
            if obj.agency_id is None:
                fallback = fallback or context.current_or_default_id()
                obj.agency_id = obj.agency_default(fallback)
        return super().bulk_create(objs, *args, **kwargs)


class AgencyManager(models.Manager.from_queryset(AgencyQuerySet)):
    def get_queryset(self):
        queryset = super().get_queryset()
        agency_id = context.current_id()
        if agency_id is not None:
            queryset = queryset.filter(agency_id=agency_id)
        else:
            queryset._agency_pending = True
        return queryset


def scoped(queryset_class):
    """The tenant manager for a model with its own QuerySet methods."""
    combined = type(queryset_class.__name__, (AgencyQuerySet, queryset_class), {})
    return AgencyManager.from_queryset(combined)()
