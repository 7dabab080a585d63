"""The counterpart VNeID: an OpenID Connect provider with demo citizens."""
