"""Organisation and sign-in API (ORG-1…5). Parses, calls a service or selector, renders."""

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db.models import F
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput, NotFound, current_on_stale
from shoal.core.permissions import all_permission_codes
from shoal.org import selectors, services
from shoal.org.models import DataScope, Department, Role, User
from shoal.org.permissions import Permission


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this when a username is locked out (ORG-3)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Too many failed sign-ins: this account is locked for %(minutes)d minutes.") % {"minutes": minutes}
    return JsonResponse({"error": {"code": "account_locked", "message": message}}, status=403)


# ---------------------------------------------------------------- serializers


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RoleRefSerializer(RefSerializer):
    code = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(max_length=50, required=False)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    department = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()
    data_scope = serializers.ChoiceField(choices=DataScope.choices, read_only=True)
    permissions = serializers.SerializerMethodField()
    must_change_password = serializers.BooleanField(read_only=True)
    status = serializers.CharField(max_length=50, required=False)
    language = serializers.ChoiceField(choices=[c for c, _n in settings.LANGUAGES], required=False)
    superior = serializers.SerializerMethodField()

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_department(self, user) -> dict | None:
        return {"id": user.department_id, "name": user.department.name} if user.department_id else None

    @extend_schema_field(RoleRefSerializer(allow_null=True))
    def get_role(self, user) -> dict | None:
        return {"id": user.role_id, "code": user.role.code, "name": user.role.name} if user.role_id else None

    def get_permissions(self, user) -> list[str]:
        return sorted(user.permission_codes())

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_superior(self, user) -> dict | None:
        superior_id = selectors.user_effective_superior_id(user)
        superior = User.objects.filter(pk=superior_id).first() if superior_id else None
        return {"id": superior.pk, "name": superior.display_name} if superior else None


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    key_prefix = serializers.CharField(read_only=True)


class TokenCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    manager_name = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Department
        fields = ["id", "name", "parent", "manager", "manager_name", "position", "member_count", "version"]
        read_only_fields = ["position"]

    def get_manager_name(self, obj) -> str | None:
        return obj.manager.display_name if obj.manager_id else None


class UserSerializer(serializers.ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True)
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all())
    superior = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    department_name = serializers.SerializerMethodField()
    role_code = serializers.SerializerMethodField()
    role_name = serializers.SerializerMethodField()
    superior_name = serializers.SerializerMethodField()
    password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)
    version = serializers.IntegerField(required=False)
    mobile = serializers.RegexField(r"^\+?[0-9\- ]{5,20}$", required=False, allow_blank=True, max_length=20)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "password",
            "mobile",
            "email",
            "department",
            "department_name",
            "role",
            "role_code",
            "role_name",
            "superior",
            "superior_name",
            "status",
            "is_active",
            "must_change_password",
            "last_login",
            "date_joined",
            "version",
        ]
        read_only_fields = ["is_active", "must_change_password", "last_login", "date_joined", "status"]
        extra_kwargs = {"username": {"validators": []}, "name": {"required": True, "allow_blank": False}}

    def get_department_name(self, obj) -> str | None:
        return obj.department.name if obj.department_id else None

    def get_role_code(self, obj) -> str | None:
        return obj.role.code if obj.role_id else None

    def get_role_name(self, obj) -> str | None:
        return obj.role.name if obj.role_id else None

    def get_superior_name(self, obj) -> str | None:
        """The explicit superior, else the effective one (the department manager above)."""
        if obj.superior_id:
            return obj.superior.display_name
        superiors = self.context.get("superiors")
        if superiors is None:
            return None
        superior_id = superiors["map"].get(obj.pk)
        return superiors["names"].get(superior_id) if superior_id else None


class UserUpdateSerializer(UserSerializer):
    class Meta(UserSerializer.Meta):
        read_only_fields = [*UserSerializer.Meta.read_only_fields, "username"]
        extra_kwargs = {"password": {"required": False}}


class ResetPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class MoveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_department_name = serializers.CharField(source="from_department.name", allow_null=True, default=None)
    to_department_name = serializers.CharField(source="to_department.name", allow_null=True, default=None)
    moved_at = serializers.DateTimeField()
    actor_name = serializers.CharField(source="actor.display_name", allow_null=True, default=None)


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor_name = serializers.CharField(allow_null=True)
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changes = ChangeSerializer(many=True)


class RoleSerializer(serializers.ModelSerializer):
    user_count = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(required=False)
    permissions = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = Role
        fields = ["id", "code", "name", "data_scope", "permissions", "is_system", "user_count", "version"]
        read_only_fields = ["is_system"]
        extra_kwargs = {"code": {"validators": []}}


class PermissionInfoSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()


def history_entries(obj) -> list[dict]:
    """Turn django-simple-history rows into {at, actor, action, changes} entries, newest first."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [{"field": c.field, "old": _text(c.old), "new": _text(c.new)} for c in delta.changes]
        action_name = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        if action_name != "changed" or changes:
            entries.append(
                {
                    "id": record.history_id,
                    "at": record.history_date,
                    "actor_name": record.history_user.display_name if record.history_user else None,
                    "action": action_name,
                    "changes": changes,
                }
            )
        previous = record
    entries.reverse()
    return entries


def _text(value) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------- auth


class LoginView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_scope = "login"

    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=LoginSerializer, responses={200: MeSerializer}, operation_id="auth_login")
    @method_decorator(ensure_csrf_cookie)
    def post(self, request):
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None:
            inactive = User.objects.filter(username__iexact=data.validated_data["username"], is_active=False).first()
            if inactive is not None and inactive.check_password(data.validated_data["password"]):
                raise InvalidInput(_("This account has been deactivated."), code="account_inactive")
            raise InvalidInput(self._failure_message(django_request, data.validated_data), code="invalid_credentials")
        login(django_request, user)
        return Response(MeSerializer(user).data)

    @staticmethod
    def _failure_message(request, credentials) -> str:
        from axes.handlers.proxy import AxesProxyHandler

        failures = AxesProxyHandler.get_failures(request, {"username": credentials["username"]})
        left = max(settings.AXES_FAILURE_LIMIT - failures, 0)
        return _("Wrong username or password. %(left)d attempts left before the account is locked.") % {"left": left}


class LogoutView(APIView):
    allow_pending_password_change = True

    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout")
    def post(self, request):
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    allow_pending_password_change = True

    @extend_schema(responses={200: MeSerializer}, operation_id="auth_me")
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer}, operation_id="auth_me_update")
    def patch(self, request):
        data = MeSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(actor=request.user, **data.validated_data)
        return Response(MeSerializer(user).data)


class SessionStateSerializer(serializers.Serializer):
    authenticated = serializers.BooleanField()
    user = MeSerializer(allow_null=True)


class SessionView(APIView):
    """Always 200: whether someone is signed in, and who. The web app asks this at start-up so that a
    visitor who is not signed in causes no failed request (API.md keeps /auth/me/ a 401 then)."""

    permission_classes: list = []

    @extend_schema(responses={200: SessionStateSerializer}, operation_id="auth_session")
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        user = request.user if request.user.is_authenticated else None
        return Response({"authenticated": user is not None, "user": MeSerializer(user).data if user else None})


class PasswordView(APIView):
    allow_pending_password_change = True

    @extend_schema(request=PasswordChangeSerializer, responses={204: None}, operation_id="auth_password_change")
    def post(self, request):
        from django.contrib.auth import update_session_auth_hash

        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_change_password(actor=request.user, **data.validated_data)
        update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(viewsets.ViewSet):
    @extend_schema(responses={200: TokenSerializer(many=True)})
    def list(self, request):
        return Response(TokenSerializer(request.user.api_tokens.all(), many=True).data)

    @extend_schema(request=TokenSerializer, responses={201: TokenCreatedSerializer})
    def create(self, request):
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.token_create(actor=request.user, name=data.validated_data.get("name", ""))
        body = {"id": token.pk, "key": key, "name": token.name, "created_at": token.created_at}
        return Response(TokenCreatedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.token_revoke(actor=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _int_param(name: str, value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(fields={name: [_("A whole number is required.")]}) from None
    if abs(number) >= 2**63:  # larger ones overflow SQLite's integers: a 400, not a 500
        raise InvalidInput(fields={name: [_("A whole number is required.")]})
    return number


def _text_param(name: str, value: str | None) -> str | None:
    # PostgreSQL refuses NUL in text: a 400 here rather than a 500 from the query.
    if value and "\x00" in value:
        raise InvalidInput(fields={name: [_("Null characters are not allowed.")]})
    return value


# ---------------------------------------------------------------- departments (ORG-1)


class DepartmentViewSet(viewsets.ViewSet):
    required_permissions = {
        "create": Permission.MANAGE_DEPARTMENTS,
        "partial_update": Permission.MANAGE_DEPARTMENTS,
        "destroy": Permission.MANAGE_DEPARTMENTS,
    }

    @extend_schema(responses={200: DepartmentSerializer(many=True)})
    def list(self, request):
        return Response(DepartmentSerializer(selectors.department_list(user=request.user), many=True).data)

    @extend_schema(responses={200: DepartmentSerializer})
    def retrieve(self, request, pk=None):
        return Response(DepartmentSerializer(selectors.department_get(user=request.user, pk=pk)).data)

    @extend_schema(request=DepartmentSerializer, responses={201: DepartmentSerializer})
    def create(self, request):
        data = DepartmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = services.department_create(
            actor=request.user,
            name=data.validated_data["name"],
            parent=data.validated_data.get("parent"),
            manager=data.validated_data.get("manager"),
        )
        department = selectors.department_get(user=request.user, pk=department.pk)
        return Response(DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DepartmentSerializer, responses={200: DepartmentSerializer})
    def partial_update(self, request, pk=None):
        department = selectors.department_get(user=request.user, pk=pk)
        data = DepartmentSerializer(department, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", None)

        def fresh() -> dict:
            return DepartmentSerializer(selectors.department_get(user=request.user, pk=department.pk)).data

        with current_on_stale(fresh):
            services.department_update(actor=request.user, department=department, version=version, **changes)
        return Response(fresh())

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        department = selectors.department_get(user=request.user, pk=pk)
        services.department_delete(actor=request.user, department=department)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- users (ORG-3…5)


def _bool_param(value):
    if value is None or value == "":
        return None
    return str(value).lower() in {"1", "true", "yes"}


class UserViewSet(viewsets.GenericViewSet):
    serializer_class = UserSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "username", "name", "department_name", "role_name", "last_login", "date_joined"]
    ordering = ["id"]
    required_permissions = {
        "create": Permission.MANAGE_USERS,
        "partial_update": Permission.MANAGE_USERS,
        "deactivate": Permission.MANAGE_USERS,
        "reactivate": Permission.MANAGE_USERS,
        "reset_password": Permission.MANAGE_USERS,
        "moves": Permission.VIEW_STAFF,
        "history": Permission.MANAGE_USERS,
    }

    def get_queryset(self):
        params = self.request.query_params
        department = params.get("department")
        users = selectors.user_list(
            user=self.request.user,
            filters={
                "department": _int_param("department", department) if department else None,
                "include_descendants": _bool_param(params.get("include_descendants")),
                "role": _text_param("role", params.get("role")),
                "is_active": _bool_param(params.get("is_active")),
                "status": _text_param("status", params.get("status")),
                "q": _text_param("q", params.get("q")),
            },
        )
        # Sort keys named as the listed columns (API.md: ordering by any listed column).
        return users.annotate(department_name=F("department__name"), role_name=F("role__name"))

    def get_object(self):
        return selectors.user_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("department", int),
            OpenApiParameter("include_descendants", bool),
            OpenApiParameter("role", str),
            OpenApiParameter("is_active", bool),
            OpenApiParameter("status", str),
        ]
    )
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(UserSerializer(page, many=True, context=self._context()).data)

    def retrieve(self, request, pk=None):
        return Response(UserSerializer(self.get_object(), context=self._context()).data)

    @staticmethod
    def _context() -> dict:
        return {"superiors": selectors.user_superior_names()}

    @extend_schema(request=UserSerializer, responses={201: UserSerializer})
    def create(self, request):
        data = UserSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **data.validated_data)
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=user.pk)).data, status=201)

    @extend_schema(request=UserUpdateSerializer, responses={200: UserSerializer})
    def partial_update(self, request, pk=None):
        subject = self.get_object()
        data = UserUpdateSerializer(subject, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("password", None)
        version = changes.pop("version", None)

        def fresh() -> dict:
            return UserSerializer(selectors.user_get(user=request.user, pk=subject.pk), context=self._context()).data

        with current_on_stale(fresh):
            services.user_update(actor=request.user, subject=subject, version=version, **changes)
        return Response(fresh())

    @extend_schema(request=IdsSerializer, responses={200: BatchResultSerializer})
    @action(detail=False, methods=["post"])
    def deactivate(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.user_deactivate(actor=request.user, ids=data.validated_data["ids"]).as_dict())

    @extend_schema(request=IdsSerializer, responses={200: BatchResultSerializer})
    @action(detail=False, methods=["post"])
    def reactivate(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.user_reactivate(actor=request.user, ids=data.validated_data["ids"]).as_dict())

    @extend_schema(request=ResetPasswordSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def reset_password(self, request, pk=None):
        subject = self.get_object()
        data = ResetPasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_reset_password(actor=request.user, subject=subject, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: MoveSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def moves(self, request, pk=None):
        subject = self.get_object()
        return Response(MoveSerializer(selectors.user_moves(user=request.user, subject=subject), many=True).data)

    @extend_schema(responses={200: HistoryEntrySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(HistoryEntrySerializer(history_entries(self.get_object()), many=True).data)


# ---------------------------------------------------------------- roles (ORG-2)


class RoleViewSet(viewsets.ViewSet):
    required_permissions = {
        "create": Permission.MANAGE_ROLES,
        "partial_update": Permission.MANAGE_ROLES,
        "destroy": Permission.MANAGE_ROLES,
    }

    def _get(self, pk) -> Role:
        role = selectors.role_list(user=self.request.user).filter(pk=pk).first()
        if role is None:
            raise NotFound()
        return role

    @extend_schema(responses={200: RoleSerializer(many=True)})
    def list(self, request):
        return Response(RoleSerializer(selectors.role_list(user=request.user), many=True).data)

    @extend_schema(responses={200: RoleSerializer})
    def retrieve(self, request, pk=None):
        return Response(RoleSerializer(self._get(pk)).data)

    @extend_schema(request=RoleSerializer, responses={201: RoleSerializer})
    def create(self, request):
        data = RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        values.setdefault("permissions", [])
        role = services.role_create(actor=request.user, **values)
        return Response(RoleSerializer(self._get(role.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleSerializer, responses={200: RoleSerializer})
    def partial_update(self, request, pk=None):
        role = self._get(pk)
        data = RoleSerializer(role, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", None)

        def fresh() -> dict:
            return RoleSerializer(self._get(role.pk)).data

        with current_on_stale(fresh):
            services.role_update(actor=request.user, role=role, version=version, **changes)
        return Response(fresh())

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.role_delete(actor=request.user, role=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: PermissionInfoSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def permissions(self, request):
        return Response([{"code": c, "group": c.split(".")[0]} for c in all_permission_codes()])
