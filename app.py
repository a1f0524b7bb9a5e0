"""The web app: a French chat over your documents that shows its evidence first, then an answer
whose every [n] opens the passage and its page; document management, feedback and export.

    .venv/bin/python app.py [--settings settings.yaml] [--host 127.0.0.1] [--port 7860] [--no-index]

The page is the package `assistant.ui` (one module per tab); this file only starts it, so that
deployments and tests keep one command.
"""
from assistant.ui.app import main

if __name__ == "__main__":
    main()
