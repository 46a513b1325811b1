from django.urls import path

from . import tokens, views

urlpatterns = [
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/mfa/", views.mfa_verify, name="mfa-verify"),
    path("accounts/mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("accounts/security/", views.security, name="security"),
    path("accounts/security/recovery-codes/", views.recovery_codes_renew, name="recovery-codes"),
    path("accounts/api-tokens/", tokens.api_tokens, name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api-token-revoke"),
]
