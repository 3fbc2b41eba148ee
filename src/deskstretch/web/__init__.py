"""The browser app (FastAPI): pages, the JSON API and the player, over the Coach."""
