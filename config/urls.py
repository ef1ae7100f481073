"""The site's addresses. Each app lists its own; they are included by name, so config imports
no app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_v1 = [
    path("", include("departments.urls")),
    path("", include("cases.urls")),
    path("", include("workflow.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = _("审联体 管理后台")
admin.site.site_title = _("审联体 管理后台")
admin.site.index_title = _("系统管理")

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; the icon is the SVG.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("open311/v2/", include("workflow.interchange.open311.urls")),
    path("", include("workflow.pages.urls")),
]

# Under /api/ these answer in the API's error shape; elsewhere with the site's pages.
handler400 = "config.api.errors.bad_request"
handler403 = "config.api.errors.permission_denied"
handler404 = "config.api.errors.page_not_found"
handler500 = "config.api.errors.server_error"
