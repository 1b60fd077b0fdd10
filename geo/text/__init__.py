"""Reading input: files -> article text, metadata, publication dates, sentences.

Takes paths (article files, folders, ``metadata.json``); gives
:class:`geocore.records.Article` records with clean prose and
:class:`~geo.text.sentences.Sentence` spans. May import ``geocore`` only.
"""
