"""News: feeds, article text, company tagging, headline and metric extraction. Never imports Textual."""
