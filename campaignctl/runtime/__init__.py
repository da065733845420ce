"""The campaign runtime: registration service, mechanics, anti-fraud, HTTP API, processes.

Nothing here assumes one long-lived process: every request reads what it needs
from the database (or from caches that may be dropped at any time), so the same
code runs under uvicorn on this machine and inside a Cloud Function.
"""
