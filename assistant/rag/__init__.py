"""Answering from passages: retrieval, evidence, prompt, the model's reply checked into an answer
with citations, follow-up questions. No service, entry point or backend choice here."""
