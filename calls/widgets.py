"""The call form's own widgets: reminder schedules as rows of an amount and a unit, and eligible
countries as a checklist with a filter and an EU/EEA preset.

Both work as plain HTML forms; static/js/call_form.js adds the buttons (add or remove a row,
filter, select all EU/EEA, clear) and the live sentence. Its texts come from data-msg-*
attributes, translated here, as the application form's script does.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls import reminder_offsets
from calls.countries import EU_EEA
from calls.validation import MAX_REMINDER_HOURS, MAX_REMINDERS

EU_EEA_PRESET = "eu_eea"


class ReminderScheduleWidget(forms.Widget):
    """Rows named <name>_<i> (amount) and <name>_<i>_unit; empty rows are ignored, so two spare
    rows let an organiser add reminders without JavaScript."""

    template_name = "calls/widgets/reminder_schedule.html"
    spare_rows = 2

    class Media:
        css = {"all": ["css/call_form.css"]}
        js = ["js/call_form.js"]

    def __init__(self, deadline=reminder_offsets.APPLICATION_DEADLINE, attrs=None):
        super().__init__(attrs)
        self.deadline = deadline

    def rows(self, value) -> list[tuple[str, str]]:
        if not value:
            return []
        if all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            return [(str(amount), unit) for amount, unit in reminder_offsets.to_rows(value)]
        return [(str(amount), unit) for amount, unit in value]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        rows = self.rows(value)
        try:
            sentence = reminder_offsets.sentence(reminder_offsets.from_rows(rows), self.deadline)
        except (forms.ValidationError, TypeError, ValueError):
            sentence = ""  # a schedule with errors has no sentence; the errors say why
        blank = (MAX_REMINDERS - len(rows)) if len(rows) < MAX_REMINDERS else 0
        rows += [("", reminder_offsets.DAYS)] * min(self.spare_rows, blank)
        days_max = MAX_REMINDER_HOURS // 24
        amount_widget = forms.NumberInput()
        unit_widget = forms.Select(choices=reminder_offsets.UNIT_CHOICES)
        shown, flat = [], []
        for i, (amount, unit) in enumerate(rows):
            amount_ctx = amount_widget.get_context(
                f"{name}_{i}",
                amount,
                {
                    "id": f"{base_id}_{i}",
                    "min": 1,
                    "max": MAX_REMINDER_HOURS,
                    "step": 1,
                    "class": "reminder-amount",
                    "aria-label": _("Reminder %(n)d: how long before") % {"n": i + 1},
                },
            )["widget"]
            unit_ctx = unit_widget.get_context(
                f"{name}_{i}_unit",
                unit,
                {
                    "id": f"{base_id}_{i}_unit",
                    "class": "reminder-unit",
                    "aria-label": _("Reminder %(n)d: unit") % {"n": i + 1},
                },
            )["widget"]
            shown.append({"position": i + 1, "amount": amount_ctx, "unit": unit_ctx})
            flat += [amount_ctx, unit_ctx]
        context["widget"].update(
            {
                "rows": shown,
                "subwidgets": flat,
                "sentence": sentence,
                "base_id": base_id,
                "deadline": self.deadline,
                "limits": reminder_offsets.LIMITS,
                "days_max": days_max,
                "max_rows": MAX_REMINDERS,
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        rows, i = [], 0
        while f"{name}_{i}" in data or f"{name}_{i}_unit" in data:
            rows.append((data.get(f"{name}_{i}", ""), data.get(f"{name}_{i}_unit", "")))
            i += 1
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_0" not in data and f"{name}_0_unit" not in data

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class ReminderScheduleField(forms.Field):
    """Whole hours before a deadline, edited as rows of days or hours (calls.reminder_offsets)."""

    def __init__(self, *, deadline=reminder_offsets.APPLICATION_DEADLINE, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", reminder_offsets.LIMITS)
        super().__init__(widget=ReminderScheduleWidget(deadline=deadline), **kwargs)

    def to_python(self, value):
        if not value:
            return []
        if all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            return sorted(set(value), reverse=True)
        return reminder_offsets.from_rows(value)

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != sorted(set(initial or []), reverse=True)
        except forms.ValidationError:
            return True


class CountryChecklistWidget(forms.CheckboxSelectMultiple):
    """A checklist in a scrolling box. Without JavaScript, a tick box adds every EU/EEA country on
    save; with it, a filter box and "Select all EU/EEA" / "Clear" buttons act at once."""

    template_name = "calls/widgets/country_checklist.html"

    class Media:
        css = {"all": ["css/call_form.css"]}
        js = ["js/call_form.js"]

    def __init__(self, attrs=None, choices=(), group_label=""):
        super().__init__(attrs, choices)
        self.group_label = group_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "preset_name": f"{name}_preset",
                "preset_value": EU_EEA_PRESET,
                "preset_codes": " ".join(EU_EEA),
                "preset_size": len(EU_EEA),
                "selected_count": len([v for v in (value or []) if v]),
                "group_label": self.group_label,
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name) or []
        if data.get(f"{name}_preset") == EU_EEA_PRESET:
            values = list(dict.fromkeys([*values, *EU_EEA]))
        return values

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty checklist sends nothing, and means "no country"

    def id_for_label(self, id_, index=None):
        # The field's label names the group (aria-labelledby is not available to the admin's label).
        return "" if index is None else super().id_for_label(id_, index)


class EligibleCountriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        from django_countries import countries

        kwargs.setdefault("required", False)
        label = kwargs.get("label", "")
        # A callable: the names are listed in the language of the request that shows the form.
        super().__init__(
            choices=lambda: [(c.code, c.name) for c in countries],
            widget=CountryChecklistWidget(group_label=label),
            **kwargs,
        )

    def prepare_value(self, value):
        # The model gives its countries as objects (or "FR,DE" text); the checklist ticks codes.
        if not value:
            return []
        if isinstance(value, str):
            value = value.split(",")
        return [str(getattr(country, "code", country)) for country in value]

    def has_changed(self, initial, data):
        return sorted(self.prepare_value(initial)) != sorted(self.prepare_value(data))
