"""The person's own settings page (个人设置): contact details, language, password, and any
section another subject adds (the notifications add which kinds come by e-mail)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.forms import ContactForm
from departments.models import User
from departments.services import person_update_contact


@dataclass(frozen=True)
class Section:
    """One form of the page: `form(person, data)` builds it, `save(form, person)` saves it."""

    name: str
    title: object
    form: object
    save: object
    saved: object  # the confirmation once saved


def _contact_form(person, data=None):
    return ContactForm(data, instance=User.objects.get(pk=person.pk), prefix="contact")


def _contact_save(form, request):
    person_update_contact(person=request.user, **form.cleaned_data)


def _password_form(person, data=None):
    return PasswordChangeForm(person, data, prefix="password")


def _password_save(form, request):
    form.save()
    update_session_auth_hash(request, form.user)  # stay signed in on this device


CONTACT = Section(
    "contact",
    gettext_lazy("联系方式与语言"),
    _contact_form,
    _contact_save,
    gettext_lazy("联系方式已保存。"),
)
PASSWORD = Section(
    "password",
    gettext_lazy("修改密码"),
    _password_form,
    _password_save,
    gettext_lazy("密码已修改。"),
)


@login_required
def profile(request, extra_sections=()):
    """GET shows every section; POST saves the one named by `section` and comes back here
    (or shows it again with its errors, at this same address)."""
    sections = [CONTACT, *extra_sections, PASSWORD]
    forms = {section.name: section.form(request.user) for section in sections}
    if request.method == "POST":
        section = next((s for s in sections if s.name == request.POST.get("section")), None)
        if section is not None:
            form = forms[section.name] = section.form(request.user, request.POST)
            if form.is_valid():
                section.save(form, request)
                messages.success(request, str(section.saved))
                response = redirect(request.path)
                if section is CONTACT:
                    # The site follows the language chosen here, as with the header switch.
                    response.set_cookie(
                        settings.LANGUAGE_COOKIE_NAME,
                        form.cleaned_data["language"],
                        max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    )
                return response
            messages.error(request, _("未保存：请按提示修改后再提交。"))
    return render(
        request,
        "pages/profile.html",
        {"sections": [(section, forms[section.name]) for section in sections]},
        status=400 if request.method == "POST" else 200,
    )
