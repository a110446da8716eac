"""factory-boy factories for test data, one module per app (``accounts``, ``people``,
``referrals``, ``engagement``, ``outreach``, ``practice``). Records that have a life cycle (an
episode's status, a contact attempt) are made through the service's own operations, so every
test starts from a history the service itself could have produced."""
