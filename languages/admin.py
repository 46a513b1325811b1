"""The admin's side of content translations, shared by every model whose public texts are
translated (django-modeltranslation) and which keeps a `stale_translations` list.

- Each translated field's languages sit together in one fieldset, the source first, so a
  translator sees the text they translate from next to the one they write.
- "Translations to review" names the translations whose source changed since they were
  written ("Arabic: title"); readers get the source instead until one is saved again.
- Saving recomputes that list (languages.content.changed_sources) against the row as it is in
  the database, before the change.
- Someone who holds the change permission only through the translators' role
  (`translator_role`, named by each app's admin) edits only the translations: the source text
  and every other field are read-only for them.

Registers nothing: each app's admin.py uses the mixin for its own models.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import content, registry


def review_list(obj, model=None) -> list[str]:
    """obj.stale_translations as people read it: "Arabic: title", in the reader's language."""
    model = model or type(obj)
    items = []
    for key in obj.stale_translations or ():
        code, _sep, field = key.partition(":")
        language = registry.BY_CODE.get(code)
        try:
            label = model._meta.get_field(field).verbose_name
        except FieldDoesNotExist:  # a field since removed: its name is all there is
            label = field
        items.append(f"{gettext(language.name) if language else code}: {label}")
    return items


class TranslatedContentAdmin(TranslationAdmin):
    """Use instead of modeltranslation's TranslationAdmin (see the module docstring)."""

    # Each field's language versions grouped in a fieldset of their own, side by side.
    group_fieldsets = True
    # The group whose members translate and do nothing else here; None: nobody is limited.
    translator_role: str | None = None

    def translated_fields(self) -> tuple[str, ...]:
        return tuple(self.trans_opts.fields)

    def translation_columns(self) -> set[str]:
        """The columns a translator writes: every field in every language but the source."""
        default = settings.LANGUAGE_CODE
        return {
            content.column(name, code)
            for name in self.translated_fields()
            for code in registry.CODES
            if code != default
        }

    def only_translates(self, request) -> bool:
        """True when the user's change permission comes from the translators' role alone."""
        user = request.user
        if self.translator_role is None or user.is_superuser:
            return False
        cache = request.__dict__.setdefault("_bridge_only_translates", {})
        opts = self.model._meta
        if opts.label_lower not in cache:
            elsewhere = Permission.objects.filter(
                content_type__app_label=opts.app_label,
                content_type__model=opts.model_name,
                codename=get_permission_codename("change", opts),
            ).filter(Q(user=user) | Q(group__in=user.groups.exclude(name=self.translator_role)))
            cache[opts.label_lower] = not elsewhere.exists()
        return cache[opts.label_lower]

    actions = ["confirm_translations"]

    @admin.action(description=_("The translations to review are still right"), permissions=["change"])
    def confirm_translations(self, request, queryset):
        """A translator read the changed source and the old translation still says it."""
        confirmed = 0
        for obj in queryset.exclude(stale_translations=[]):
            obj.stale_translations = []
            obj.save(update_fields=["stale_translations"])  # saved one by one: audited
            confirmed += 1
        self.message_user(request, _("Translations confirmed: %(count)d.") % {"count": confirmed})

    @admin.display(description=_("translations to review"))
    def translations_to_review(self, obj):
        return ", ".join(review_list(obj, self.model)) or None

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "translations_to_review"]
        if self.only_translates(request):
            writable = self.translation_columns()
            originals = set(self.translated_fields())
            readonly += [
                f.name
                for f in self.model._meta.get_fields()
                if f.concrete
                and f.editable
                and not f.primary_key
                and f.name not in writable
                and f.name not in originals
                and f.name not in readonly
            ]
        return readonly

    def get_fieldsets(self, request, obj=None):
        # modeltranslation sorts a field's languages by column name: put the source first,
        # then the languages in the registry's order.
        default = settings.LANGUAGE_CODE
        order = {
            content.column(name, code): i
            for name in self.translated_fields()
            for i, code in enumerate([default, *(c for c in registry.CODES if c != default)])
        }
        fieldsets = [
            (name, {**options, "fields": sorted(options["fields"], key=lambda f: order.get(f, -1))})
            if "mt-fieldset" in options.get("classes", ())
            else (name, options)
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None:
            fieldsets.insert(0, (None, {"fields": ["translations_to_review"]}))
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        # A slug made from the name is not a translator's to change (it is read-only for them).
        return {} if self.only_translates(request) else super().get_prepopulated_fields(request, obj)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if self.only_translates(request):
            changelist.list_editable = ()  # positions, active flags: not translations
        return changelist

    def save_model(self, request, obj, form, change):
        if change:
            fields = self.translated_fields()
            before = content.snapshot(self.model._base_manager.get(pk=obj.pk), fields)
            obj.stale_translations = content.changed_sources(obj, before, fields)
        super().save_model(request, obj, form, change)
