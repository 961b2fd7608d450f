"""GOV.UK Frontend WTForms widgets that keep the legend when a template adds its own
fieldset settings (govuk-frontend-wtf only fills in the legend text when none are given)."""

from govuk_frontend_wtf import wtforms_widgets as gov


class _KeepsLegend:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        return params


class GovRadioInput(_KeepsLegend, gov.GovRadioInput):
    pass


class GovCheckboxesInput(_KeepsLegend, gov.GovCheckboxesInput):
    pass


class GovDateInput(_KeepsLegend, gov.GovDateInput):
    pass
