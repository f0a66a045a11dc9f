from django.contrib import admin
from django.urls import include, path

from cases import views as case_views

urlpatterns = [
    path("", case_views.case_list, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cambodia_tracker.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
]
