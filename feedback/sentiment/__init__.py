"""Sentiment of citizens' comments (Vietnamese, offline, CPU): a keyword baseline and a
char n-gram model the project trains on its own labelled set (feedback/data/sentiment/)."""
