from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.models import User
from samvirke.web.forms import StyledFormMixin


class LoginForm(StyledFormMixin, forms.Form):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordResetRequestForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:  # not subscriptable at run time
    _SetPasswordForm = SetPasswordForm


class ChoosePasswordForm(StyledFormMixin, _SetPasswordForm):
    """Django's set-password form, marked up like every other form here."""


class EnrolmentCodeForm(StyledFormMixin, forms.Form):
    email_code = forms.CharField(
        label=_("Code from the e-mail"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The eight digits we e-mailed to you."),
    )


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits from your authenticator app, or one of your recovery codes."),
    )

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split()).lower()
        if not token.isalnum():
            raise forms.ValidationError(_("Type only the digits or letters of the code."))
        return token


class ProfileForm(StyledFormMixin, forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language", "time_zone"]

    def __init__(self, *args: Any, own_details: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not own_details:
            # A participant's name and phone live only in their encrypted identity (their own
            # details page); the account keeps none.
            del self.fields["full_name"], self.fields["phone"]
        self.fields["time_zone"].help_text = _("Times are shown in this time zone.")
