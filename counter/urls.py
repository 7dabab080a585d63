from django.urls import path

from . import views

urlpatterns = [
    path("goi-so/", views.desk, name="counter-desk"),
    path("goi-so/<int:area_id>/", views.call, name="counter-call"),
    path("<str:unit_code>/", views.kiosk, name="counter-kiosk"),
    path("<str:unit_code>/man-hinh/", views.display, name="counter-display"),
]
