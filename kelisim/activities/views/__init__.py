"""The activities app's pages, by sub-domain: dashboards (and their exports), reports (their workflow and the
officers' queue), imports (bulk entry) and indicators."""
