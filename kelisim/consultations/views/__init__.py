"""The consultation's pages, by sub-domain: ``documents`` (reading and importing versions),
``suggestions`` (sending, following, supporting), ``open_data`` (exports and statistics) and ``triage``
(officers' queue and answers)."""
