"""Running the portal for a province: backups that restore (pgBackRest for the database, a
checksummed snapshot of the media) and the check of a restored instance. The top of the
layering: it reads every app and none reads it (design.md)."""
