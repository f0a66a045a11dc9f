from django.urls import path

from following import views

urlpatterns = [
    path("cases/<int:pk>/follow/", views.follow_case, name="case-follow"),
    path("people/<int:pk>/follow/", views.follow_person, name="defendant-follow"),
    path("follow/confirm/<str:token>/", views.confirm, name="follow-confirm"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="follow-unsubscribe"),
]
