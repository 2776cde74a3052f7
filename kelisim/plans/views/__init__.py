"""The action plan's pages, by sub-domain: ``public`` (the plan, its versions, comparisons and an item's
page with its progress), ``editing`` (officers' work on a working copy, publication, adoption and roundtable
decisions), ``exports`` (open data files) and ``traces`` (a suggestion's and an item's way through the
consultation)."""
