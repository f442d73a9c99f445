"""The demo agency: a realistic, deterministic workspace for trying smmkpi and for tests."""
