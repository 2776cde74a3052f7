"""`make bench-http`: public pages over HTTP at ten times the seed's volume (see bench/pages_http/run.py)."""
