from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView

from . import services
from .filters import UserFilter
from .forms import LoginForm, UserCreateForm, UserUpdateForm
from .models import User
from .selectors import locked_usernames, user_list


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class UserListView(PermissionRequiredMixin, FilterView):
    permission_required = "accounts.view_user"
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        return user_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locked_usernames"] = locked_usernames(u.username for u in context["object_list"])
        return context


class UserCreateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.add_user"
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        user = services.user_create(
            actor=self.request.user,
            username=data["username"],
            role=data["role"],
            password=data["password1"],
            **form.profile(),
        )
        messages.success(self.request, _("User %(name)s created.") % {"name": user.username})
        return redirect("accounts:user_list")


class UserUpdateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.change_user"
    form_class = UserUpdateForm
    template_name = "accounts/user_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, object=self.object)

    def form_valid(self, form):
        services.user_update(
            actor=self.request.user,
            user=self.object,
            role=form.cleaned_data["role"],
            is_active=form.cleaned_data["is_active"],
            **form.profile(),
        )
        messages.success(self.request, _("User %(name)s saved.") % {"name": self.object.username})
        return redirect("accounts:user_list")


class UserUnlockView(PermissionRequiredMixin, View):
    """Clear a user's failed-login lockout (POST only)."""

    permission_required = "accounts.change_user"
    http_method_names = ["post"]

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        services.user_unlock(actor=request.user, user=user)
        messages.success(request, _("Sign-in unlocked for %(name)s.") % {"name": user.username})
        return redirect(reverse("accounts:user_list"))


password_change = auth_views.PasswordChangeView.as_view(
    success_url=reverse_lazy("accounts:password_change_done")
)
