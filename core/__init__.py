"""Shared infrastructure every app may use: the Redis cache backend, spreadsheet writing, admin
paging and date lists. It imports no app of the portal."""
