"""Peer challenge: triads and quartets of a cycle, their challenge days, peers' comments on
finalised self-assessments, the facilitator's outcomes and the regional picture."""
