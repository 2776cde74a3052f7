"""Who may do what in the news section: pure reads that services and views ask alike."""

from kelisim.accounts.permissions import is_officer


def can_edit_news(user) -> bool:
    """Programme officers (and administrators) write, schedule and archive articles."""
    return is_officer(user)


def can_preview_articles(user) -> bool:
    """Who may open a draft or scheduled article before it is public: the people who edit news."""
    return can_edit_news(user)
