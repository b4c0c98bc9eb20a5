"""The workbench around the runtime, not part of it: the demo mailbox (``demo``), scoring
against labelled corpora (``evaluation``, ``crossval``) and training the shipped models
(``training``). The CLI offers them as commands; the pipeline never imports them."""
