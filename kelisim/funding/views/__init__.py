"""The funding pages, one module per sub-domain: ``calls``, ``applications``, ``review``, ``contracts``
(and ``common`` for what they share). ``urls.py`` names each view by its module."""
