"""The VNeID login of the public site, mounted at /vneid/ (bacyen_portal/urls.py)."""

from django.urls import path

from . import views_vneid

urlpatterns = [
    path("dang-nhap/", views_vneid.sign_in, name="vneid-login"),
    path("callback/", views_vneid.callback, name="vneid-callback"),
    path("dang-xuat/", views_vneid.sign_out, name="vneid-logout"),
]
