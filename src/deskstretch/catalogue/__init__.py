"""Exercise and routine content (TOML package data) and its validating loader."""
