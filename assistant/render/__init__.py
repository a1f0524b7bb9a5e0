"""What users read and download, built from the domain's shapes: the page's HTML (Jinja templates,
autoescaped), Markdown and Word exports, PDF pages as images. No Gradio here."""
