"""French text for matching: one normaliser, one tokenizer, one sentence splitter, one number
pattern, one language detector, one injection filter. Pure functions, no other layer imported."""
