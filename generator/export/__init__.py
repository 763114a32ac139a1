"""Outputs outside the site: changelogs, model-card files, NOTICE, the check report, saved answers."""
