from django.urls import include, path

urlpatterns = [
    path("dvcqg/", include("counterpart.dvcqg.urls")),
    path("vneid/", include("counterpart.vneid.urls")),
    path("population/", include("counterpart.population.urls")),
    path("payment/", include("counterpart.payment.urls")),
    path("post/", include("counterpart.post.urls")),
]
