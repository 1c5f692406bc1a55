"""Post an admin change form back as a browser would: every field with the value the page shows."""


def _widget_values(bound):
    context = bound.field.widget.get_context(bound.html_name, bound.value(), {})["widget"]
    if context.get("type") == "checkbox" and "optgroups" in context:
        # A checklist (CheckboxSelectMultiple): the ticked values, under one name.
        yield context["name"], [str(v) for v in context["value"]]
        return
    for sub in context.get("subwidgets") or [context]:
        if sub.get("type") == "checkbox":
            if sub["attrs"].get("checked"):
                yield sub["name"], "on"
        elif sub.get("value") is not None:
            value = sub["value"]
            if isinstance(value, list) and not sub["attrs"].get("multiple") and "multiple" not in sub:
                value = value[0] if value else ""
            yield sub["name"], value


def _form_values(form):
    for name in form.fields:
        yield from _widget_values(form[name])


def change_form_data(response) -> dict:
    """The POST data of the admin change page in `response` (main form and inline formsets)."""
    data = dict(_form_values(response.context["adminform"].form))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


def inline_prefix(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(model)
