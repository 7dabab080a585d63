"""Every write of the dossiers app: one function per business action, one transaction each."""
