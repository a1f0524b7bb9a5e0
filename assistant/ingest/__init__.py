"""From files to passages: readers (PDF, Markdown, text), chunking, the corpus folder, upload
names. Pure functions over files and text; writing to the store is the document service's job."""
