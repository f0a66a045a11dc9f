"""The API's router. Each app registers its viewsets here; urls.py mounts it at /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

app_name = "api"
urlpatterns = router.urls
