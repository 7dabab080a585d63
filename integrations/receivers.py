"""What the integrations app hears from the lower apps (their signals) and writes to its
outboxes inside the same transaction."""
