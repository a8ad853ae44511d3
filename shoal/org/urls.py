from django.urls import path

from shoal.core.routers import Router
from shoal.org import api

router = Router()
router.register("auth/tokens", api.TokenViewSet, basename="token")
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("users", api.UserViewSet, basename="user")
router.register("roles", api.RoleViewSet, basename="role")

urlpatterns = [
    path("auth/login/", api.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", api.MeView.as_view(), name="auth-me"),
    path("auth/session/", api.SessionView.as_view(), name="auth-session"),
    path("auth/password/", api.PasswordView.as_view(), name="auth-password"),
    *router.urls,
]
