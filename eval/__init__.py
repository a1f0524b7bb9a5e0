"""Evaluation of the assistant: question sets, results files, metrics, benchmark."""
