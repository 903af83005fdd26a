"""Forward programmes (members suggest topics, chairs triage them) and annual work programmes
with task-and-finish groups and their reports."""
