"""Open Referral: the Human Services Data Specification (HSDS) 3.0 and its UK profile.

``schemas/`` holds verbatim copies of the official JSON schemas and OpenAPI documents (see
``schemas/SOURCES.md``); ``validation`` checks JSON against them without any network access.
"""
