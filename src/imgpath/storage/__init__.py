"""Adapters for the database: SQLite by default, PostgreSQL for organisations (SQLAlchemy 2)."""
