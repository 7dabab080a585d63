"""Services of the digitization app: one business action each, one transaction."""
