from django.urls import path

from samvirke.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/link/", views.sign_in_link_request, name="sign_in_link_request"),
    path("login/link/sent/", views.sign_in_link_sent, name="sign_in_link_sent"),
    path("login/link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("password/forgotten/", views.password_reset, name="password_reset"),
    path("password/forgotten/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/set/<uidb64>/<token>/", views.password_set, name="password_set"),
    path("password/set/done/", views.password_set_done, name="password_set_done"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.change_password, name="change_password"),
    path("language/", views.set_language, name="set_language"),
]
