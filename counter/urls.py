from django.urls import path

from . import views, views_kiosk

urlpatterns = [
    path("goi-so/", views.desk, name="counter-desk"),
    path("goi-so/<int:area_id>/", views.call, name="counter-call"),
    path("so/<int:ticket_id>/goi-lai/", views.recall, name="counter-recall"),
    path("so/<int:ticket_id>/bo-qua/", views.skip, name="counter-skip"),
    path("thiet-bi/", views_kiosk.device_home, name="counter-device"),
    path("thiet-bi/danh-gia/", views_kiosk.device_rating, name="counter-device-rating"),
    path("moi-danh-gia/<str:code>/", views_kiosk.invite_rating, name="counter-invite-rating"),
    path("<str:unit_code>/", views.kiosk, name="counter-kiosk"),
    path("<str:unit_code>/man-hinh/", views.display, name="counter-display"),
]
