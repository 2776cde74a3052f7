"""`make bench-http`: public pages over HTTP at ten times the seed's volume (see bench/http/run.py)."""
