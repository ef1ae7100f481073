"""Forms of the session pages; the services do the checking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import Organisation, User
from workflow.sessions.models import Opinion, SessionParticipant


class InviteForm(forms.Form):
    capacity = forms.ChoiceField(label=_("参会身份"), choices=SessionParticipant.Capacity.choices)
    organisation = forms.ModelChoiceField(
        label=_("单位"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    person = forms.ModelChoiceField(
        label=_("参会人"),
        queryset=User.objects.filter(is_active=True).select_related("organisation"),
        required=False,
    )
    required = forms.BooleanField(label=_("必须到会"), required=False)


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("回复"),
        widget=forms.RadioSelect,
        choices=[
            (SessionParticipant.Rsvp.ACCEPTED, _("确认参会")),
            (SessionParticipant.Rsvp.DECLINED, _("不能参会")),
            (SessionParticipant.Rsvp.DELEGATED, _("委托参会")),
        ],
    )
    delegate = forms.ModelChoiceField(
        label=_("受托人"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("回复说明"), required=False, widget=forms.TextInput)

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation_id:
            self.fields["delegate"].queryset = User.objects.filter(
                organisation_id=organisation_id, is_active=True
            )


class OpinionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("意见"), widget=forms.RadioSelect, choices=Opinion.Stance.choices
    )
    reasons = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
