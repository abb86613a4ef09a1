"""Forms of the policy and briefing pages. They parse and say what is wrong; the services
decide (the attachment check is the service's, run here too so the form shows it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.errors import DomainError
from gaoxin.core.forms import YES_NO, DateInput, label_choices, model_choice, search_field, yes_no
from gaoxin.policies.models import PEOPLE_MAX, Policy, PolicyEvent
from gaoxin.policies.selectors import (
    ENTERPRISE_MATCH_LIMIT,
    EVENT_DEFAULT_SORT,
    EVENT_SORTS,
    POLICY_DEFAULT_SORT,
    POLICY_SORTS,
    enterprise_matches,
    policy_choices_for,
)
from gaoxin.policies.services import check_attachment, file_size

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check_range(form: forms.Form, start: str, end: str) -> None:
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, gettext("The end of the period is before its start."))


# --- policies ------------------------------------------------------------------------------


class PolicyFilterForm(forms.Form):
    q = search_field(_("Title, document number or issuer"))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *Policy.Kind.choices]
    )
    in_force = forms.ChoiceField(label=_("In force"), required=False, choices=YES_NO)
    issued_from = forms.DateField(label=_("Issued from"), required=False, widget=DateInput())
    issued_to = forms.DateField(label=_("Issued until"), required=False, widget=DateInput())
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in POLICY_SORTS])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _check_range(self, "issued_from", "issued_to")
        return data

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "kind": data.get("kind") or "",
            "in_force": yes_no(data.get("in_force")),
            "issued_from": data.get("issued_from"),
            "issued_to": data.get("issued_to"),
            "sort": data.get("sort") or POLICY_DEFAULT_SORT,
        }


class PolicyForm(VersionedFormMixin, forms.ModelForm):
    attachment = forms.FileField(
        label=_("Attachment (PDF or Word)"),
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,.doc,application/pdf,application/msword,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    class Meta:
        model = Policy
        fields = [
            "title",
            "document_no",
            "issuer",
            "issued_on",
            "kind",
            "is_active",
            "summary",
        ]
        widgets = {
            "issued_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_text = gettext("A .pdf, .docx or .doc file of at most %(size)s.") % {
            "size": file_size(settings.GAOXIN_UPLOAD_MAX_BYTES)
        }
        if self.instance.pk and self.instance.attachment:
            help_text += " " + gettext(
                "Choosing a file replaces %(name)s (the old file is kept in the history)."
            ) % {"name": self.instance.attachment_name}
        self.fields["attachment"].help_text = help_text

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            check_attachment(upload)
        except DomainError as error:
            raise ValidationError(error.message) from None
        return upload


# --- briefings -----------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    q = search_field(_("Title or place"))
    policy = forms.ModelChoiceField(
        label=_("Policy presented"),
        queryset=Policy.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    held_from = forms.DateField(label=_("Held from"), required=False, widget=DateInput())
    held_to = forms.DateField(label=_("Held until"), required=False, widget=DateInput())
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in EVENT_SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "policy").queryset = Policy.objects.filter(
            zone_id__in=zone_ids
        ).order_by("-issued_on", "title")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _check_range(self, "held_from", "held_to")
        return data

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "policy": data["policy"].pk if data.get("policy") else None,
            "held_from": data.get("held_from"),
            "held_to": data.get("held_to"),
            "sort": data.get("sort") or EVENT_DEFAULT_SORT,
        }


class EventForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PolicyEvent
        fields = ["title", "held_on", "place", "policies", "attendee_count", "notes"]
        widgets = {
            "held_on": DateInput(),
            "policies": forms.SelectMultiple(attrs={"size": 8}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "policies").queryset = policy_choices_for(zone_id)
        label_choices(
            model_choice(self, "policies"),
            lambda p: f"{p.title}{f' ({p.document_no})' if p.document_no else ''}",
        )


class AttendanceForm(forms.Form):
    """Pick an enterprise of the briefing's zone by its credit code, its name, a part of it
    or its pinyin initials; with the people it sent."""

    enterprise = forms.CharField(
        label=_("Enterprise (name, pinyin initials or credit code)"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=PEOPLE_MAX, initial=1)

    def __init__(self, *args: Any, event: PolicyEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_enterprise(self) -> Any:
        text = self.cleaned_data["enterprise"]
        found = enterprise_matches(self.event, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                gettext("No enterprise of this zone matches “%(text)s”.") % {"text": text}
            )
        names = "、".join(f"{e.name} ({e.uscc})" for e in found[:ENTERPRISE_MATCH_LIMIT])
        more = "…" if len(found) > ENTERPRISE_MATCH_LIMIT else ""
        raise ValidationError(
            gettext("“%(text)s” matches several enterprises: %(names)s%(more)s. Be more precise.")
            % {"text": text, "names": names, "more": more}
        )


class SigninSheetForm(forms.Form):
    file = forms.FileField(
        label=_("Sign-in sheet (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.GAOXIN_UPLOAD_MAX_BYTES
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                gettext("%(name)s is not an .xlsx file. Save the sheet as Excel workbook (.xlsx).")
                % {"name": upload.name}
            )
        if upload.size > limit:
            raise ValidationError(
                gettext("The file is %(size)s; at most %(limit)s can be imported.")
                % {"size": file_size(upload.size), "limit": file_size(limit)}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError(
                gettext("%(name)s is not an Excel workbook (.xlsx), though its name says so.")
                % {"name": upload.name}
            )
        return upload
