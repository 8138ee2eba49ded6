"""API views of the accounts app: the signed-in user, and JWT issue with lockout handling."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.views import TokenObtainPairView

from . import notifications
from .models import Notification, User
from .roles import Role


class MeSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True, allow_null=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "phone", "role"]
        fields += ["permissions"]
        read_only_fields = fields

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())


class MeView(RetrieveAPIView):
    """Return the signed-in user, their role and their permissions."""

    serializer_class = MeSerializer
    # Every signed-in user may read their own record; no model permission involved.
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


class LockedOut(exceptions.APIException):
    status_code = 429
    default_detail = _(
        "Too many failed sign-in attempts: signing in is locked for now. Try again later or "
        "ask an administrator to unlock the account."
    )
    default_code = "locked_out"


class TokenObtainSerializer(TokenObtainPairSerializer):
    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except exceptions.AuthenticationFailed:
            if getattr(self.context["request"], "axes_locked_out", False):
                raise LockedOut from None
            raise


@extend_schema(
    responses={
        200: TokenObtainPairSerializer,
        401: OpenApiResponse(description="Wrong username or password."),
        429: OpenApiResponse(description="Locked out after too many failed attempts."),
    }
)
class TokenObtainView(TokenObtainPairView):
    """Issue an access and a refresh token for a username and password."""

    serializer_class = TokenObtainSerializer


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "is_read", "created_at"]
        read_only_fields = fields


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Any signed-in user: their own notifications, unread first; mark one or all as read."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset reads the user's own
    permission_classes = [permissions.IsAuthenticated]  # each user sees only their own
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["is_read", "kind"]

    def get_queryset(self):
        return notifications.inbox(self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notifications.mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedReadSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications.mark_read(user=request.user)})
