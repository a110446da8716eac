"""Outreach: a team's message templates (call scripts, texts, letters, emails) with merge
fields and reading age, and sending them to a person through GOV.UK Notify, or by hand."""
