from django.urls import path, re_path

from minicreds.apps.core import views

urlpatterns = [
    re_path(r'^health/$', views.health, name='health'),
    path('platform/', views.platform, name='platform'),
    path('api/v1/roundtrip/', views.roundtrip, name='roundtrip'),
]
