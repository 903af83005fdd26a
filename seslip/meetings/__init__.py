"""Meetings of networks: agendas, papers, records and actions."""
