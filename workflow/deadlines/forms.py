"""The form of one day of the working calendar (工作日历)."""

from django import forms

from workflow.deadlines.calendar import CalendarDay


class CalendarDayForm(forms.ModelForm):
    """Reads the input; the service (`calendar_day_save`) decides what is valid."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def _post_clean(self):
        pass  # the service checks the model
