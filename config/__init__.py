"""Settings: pydantic models, TOML load/validate/save, platformdirs paths. Never imports Textual."""
