"""The web app: the specialist's workplace and the client's share links (FastAPI, Jinja2)."""
