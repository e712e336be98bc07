"""Helpers shared by every test suite: tool requirements, the playbook runner, the real-tool oracles."""
