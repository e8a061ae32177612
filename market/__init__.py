"""Market data: instruments, quotes, sources, sessions, parity, fundamentals. Never imports Textual."""
