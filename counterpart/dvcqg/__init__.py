"""The counterpart DVCQG: the national public-service portal as the tests and make run see it."""
