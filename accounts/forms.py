from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role


class LoginForm(AuthenticationForm):
    """Sign-in form. Unknown usernames and wrong passwords get one and the same error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)


class UserForm(forms.ModelForm):
    """Shared fields of the user create and edit forms."""

    # Least privilege unless the admin chooses otherwise.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_role(self):
        return Role(self.cleaned_data["role"])

    def profile(self) -> dict:
        """Return the cleaned personal details, as the user services take them."""
        return {name: self.cleaned_data[name] for name in UserForm.Meta.fields}

    def clean_email(self):
        # The database constraint is case-insensitive; say so on the field, not the form.
        email = self.cleaned_data["email"]
        others = User.objects.exclude(pk=self.instance.pk)
        if email and others.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A user with this email address already exists."), code="unique"
            )
        return email


class UserCreateForm(UserForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta(UserForm.Meta):
        fields = ["username", *UserForm.Meta.fields]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("A user with that username already exists."), code="unique"
            )
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError(
                    _("The two password fields didn't match."), code="password_mismatch"
                ),
            )
        if password1:
            try:
                password_validation.validate_password(password1, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserUpdateForm(UserForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive user cannot sign in. Deactivate instead of deleting."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("role", self.instance.role)
        self.initial.setdefault("is_active", self.instance.is_active)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk == self.actor.pk:
            # Guard against locking the last administrator out of the application.
            if cleaned.get("role") not in (None, Role.ADMIN):
                self.add_error(
                    "role",
                    forms.ValidationError(
                        _("You cannot remove your own admin role."), code="own_role"
                    ),
                )
            if not cleaned.get("is_active"):
                self.add_error(
                    "is_active",
                    forms.ValidationError(
                        _("You cannot deactivate your own account."), code="own_active"
                    ),
                )
        return cleaned
