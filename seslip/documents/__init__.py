"""Key documents (the memorandum of understanding, the regional improvement plan, the steering
group's papers) with every uploaded version kept."""
