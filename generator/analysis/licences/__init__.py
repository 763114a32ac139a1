"""Licences: which files hold which licence, what each covers, how that changed over time."""
