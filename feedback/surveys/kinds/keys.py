"""The answer and row keys every kind may use, in a module of their own (no Flask, no
database) so that pure code such as the results build (feedback.results.build) can read them."""

DONT_KNOW = "dont_know"
PREFER_NOT = "prefer_not"
# Results row keys every kind may use.
ANSWERED = "answered"
BLANK = "__blank__"
NOT_CHOSEN = "__not_chosen__"
