"""Steps shared by the end-to-end tests, by who takes them.

residents: a resident reports through the bot; chain: the partner chain the bot runs with
(its groups and caseworkers) and what is stored; caseworkers: what a caseworker does in a
partner chat; clock: moving time on. Test modules import their steps from here and their
fixtures from conftest, never from each other (tests/unit/test_architecture.py checks).
"""
