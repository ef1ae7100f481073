"""Load-test data (``manage.py seed_load``): organisations, people and a city's years of cases,
generated deterministically and written in bulk. The entry point is ``loader.seed_load``."""
