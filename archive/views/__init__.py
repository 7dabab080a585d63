"""Server-rendered pages of the archive: thin, each parses, asks a query or a service,
renders."""
