"""django-oauth-toolkit's validator with VNeID's claims: an opaque ``sub`` (the citizen's random
subject, not the user's primary key nor the identity number) and the citizen's identity,
each claim released only under its scope."""

from oauth2_provider.oauth2_validators import OAuth2Validator

# The scope that releases the identity number (a custom claim: OpenID has no such name).
ID_NUMBER_SCOPE = "so_dinh_danh"


class VneidValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "so_dinh_danh": ID_NUMBER_SCOPE,
    }

    def get_claim_dict(self, request):
        citizen = getattr(request.user, "vneid_citizen", None)
        if citizen is None:  # an account that is no citizen (none is made): nothing to assert
            return {"sub": f"user-{request.user.pk}"}
        return {"sub": citizen.subject, **citizen.claims()}

    def get_discovery_claims(self, request):
        return ["sub", "name", "birthdate", "phone_number", "email", "address", "so_dinh_danh"]
