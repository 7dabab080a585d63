"""The counterpart VNeID: django-oauth-toolkit's OpenID provider under ``o/`` (the issuer is
``<counterpart>/vneid/o``, its discovery document beside it) and the citizens' login page."""

from django.urls import include, path

from .views import CitizenLoginView

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("dang-nhap/", CitizenLoginView.as_view(), name="vneid-login"),
]
