"""Tables of the integrations app, one module per platform or concern."""
