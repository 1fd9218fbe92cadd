from django.urls import include, path

from samvirke.web import admin as samvirke_admin
from samvirke.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("health/", web_views.health, name="health"),
    path("accounts/", include("samvirke.accounts.urls")),
    path("", include("samvirke.programmes.urls")),
    path("", include("samvirke.activities.urls")),
    path("", include("samvirke.audit.urls")),
    path("", include("samvirke.participants.urls")),
    path("", include("samvirke.mapping.urls")),
    path("", include("samvirke.evaluation.urls")),
    path("", include("samvirke.measures.urls")),
    path("", include("samvirke.ventures.urls")),
    path("admin/", samvirke_admin.site.urls),
]

handler400 = "samvirke.web.views.bad_request"
handler403 = "samvirke.web.views.permission_denied"
handler404 = "samvirke.web.views.page_not_found"
handler500 = "samvirke.web.views.server_error"
