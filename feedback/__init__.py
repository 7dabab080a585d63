"""Citizens' complaints and requests (phản ánh, kiến nghị, PAKN), and the sentiment of what
citizens write.

An app of its own because it owns a part of the trade the dossier does not: a citizen's voice
about a dossier or a unit, with its own code, deadline, answer and the citizen's rating of that
answer. It reads dossiers and units from ``dossiers`` (feedback → dossiers); ``dossiers`` never
imports it, and ``reporting`` may read it (the QĐ 766 score counts PAKN answered on time and
the satisfaction with their answers).
"""
