"""Adapters that speak each national platform's protocol over HTTPS."""
