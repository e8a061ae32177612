"""One SQLite database for quotes, history, news and fundamentals. Never imports Textual."""
