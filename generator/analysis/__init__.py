"""Pure functions from facts to findings: history, models, licences, community."""
