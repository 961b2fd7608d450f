"""Youth Forum consent and priority ballots."""
