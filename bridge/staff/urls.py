from django.urls import path

from . import views

urlpatterns = [
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/mfa/", views.mfa_verify, name="mfa-verify"),
    path("accounts/mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("accounts/security/", views.security, name="security"),
    path("accounts/security/recovery-codes/", views.recovery_codes_renew, name="recovery-codes"),
]
