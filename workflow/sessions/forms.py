"""Forms of the session pages; the services do the checking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import User
from workflow.sessions.models import Opinion, SessionParticipant
from workflow.sessions.participants import invitable


class InviteForm(forms.Form):
    """Invite several parties at once: one checkbox list per capacity, offering only those who
    may be invited in it (`invitable`), each with its own 必须到会 box."""

    invitations = forms.MultipleChoiceField(label=_("参会方"), required=False)
    required = forms.MultipleChoiceField(label=_("必须到会"), required=False)

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {}  # token -> (capacity, organisation, person)
        self.groups = []
        labels = dict(SessionParticipant.Capacity.choices)
        for capacity, found in (invitable(session) if session else {}).items():
            rows = []
            for thing in found:
                is_person = isinstance(thing, User)
                token = f"{capacity}:{'p' if is_person else 'o'}:{thing.pk}"
                self.options[token] = (
                    capacity,
                    None if is_person else thing,
                    thing if is_person else None,
                )
                rows.append({"token": token, "label": str(thing)})
            self.groups.append({"capacity": capacity, "label": labels[capacity], "rows": rows})
        choices = [(token, token) for token in self.options]
        self.fields["invitations"].choices = choices
        self.fields["required"].choices = choices
        self.fields["invitations"].error_messages["invalid_choice"] = _(
            "所选参会方已邀请过或不能邀请，请刷新后重试。"
        )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("invitations") or []
        required = set(cleaned.get("required") or [])
        cleaned["invitations"] = [
            {
                "capacity": self.options[token][0],
                "organisation": self.options[token][1],
                "person": self.options[token][2],
                "required": token in required,
            }
            for token in chosen
        ]
        cleaned.pop("required", None)
        return cleaned

    def marked(self):
        """The tokens ticked in the submitted form, to tick them again after an error."""
        if not self.is_bound:
            return set(), set()
        return set(self.data.getlist("invitations")), set(self.data.getlist("required"))


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

    def __init__(self, *args, organisation_id=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = User.objects.none()
        if organisation_id:
            colleagues = User.objects.filter(organisation_id=organisation_id, is_active=True)
            if user is not None:
                colleagues = colleagues.exclude(pk=user.pk)
        self.fields["delegate"].queryset = colleagues
        if not colleagues.exists():
            # Nobody to delegate to: the choice is not offered (it would only be refused).
            del self.fields["delegate"]
            self.fields["answer"].choices = self.fields["answer"].choices[:2]

    @property
    def can_delegate(self) -> bool:
        return "delegate" in self.fields


class OpinionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("意见"), widget=forms.RadioSelect, choices=Opinion.Stance.choices
    )
    reasons = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _agenda(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SessionPlanForm(forms.Form):
    """The plan of a session: used to reschedule an open session and to schedule the next one
    after an adjournment or a cancellation."""

    title = forms.CharField(label=_("会议名称"), max_length=200)
    scheduled_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    agenda = forms.CharField(
        label=_("议程（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    video_link = forms.URLField(label=_("视频会议链接"), required=False, assume_scheme="https")

    def clean_agenda(self):
        return _agenda(self.cleaned_data.get("agenda"))

    @classmethod
    def for_session(cls, session, *, title=None, scheduled_at=None, **kwargs):
        return cls(
            initial={
                "title": title or session.title,
                "scheduled_at": scheduled_at,
                "agenda": "\n".join(session.agenda),
                "place": session.place,
                "video_link": session.video_link,
            },
            **kwargs,
        )


class FollowUpForm(SessionPlanForm):
    carry_participants = forms.BooleanField(
        label=_("沿用本次会议的参会方"), required=False, initial=True
    )
