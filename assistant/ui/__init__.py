"""The web page (Gradio): the only part of the assistant that imports gradio.

    app.py -> ui.app.main(): settings, services (Assistant), build(), launch
    ui.app        the Blocks: header, the four tabs, their links; launch and the command line
    ui.chat       « Questions »: the conversation, the evidence panel, the source viewer
    ui.documents  « Documents »: the table, uploads, deletion
    ui.workshop   « Préparer une session »: the trainers' workspace
    ui.about      « À propos » and the line under the title
    ui/static     the CSS and JavaScript, read once at start

The tabs call the services (`assistant.chat`, `assistant.corpus`) and the render functions
(`assistant.render`): HTML comes from templates, never from here.
"""
from assistant.offline import go_offline

go_offline()  # before any module of this package imports gradio: no analytics, no hub
