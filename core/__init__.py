"""Plumbing below every app: what each app may import and that imports none of them (the
request edge, the limits' cache). Not a Django app: no models, no URLs, no templates."""
