"""Database-free engine commands of the ``onderdak`` CLI (stable file contracts)."""
