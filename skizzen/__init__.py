"""skizzen: the runtime around the pure extractors, one package per role.

Arrows point from the doors to the steps to the domain, never back:

* ``skizzen.doors`` – what people and schedulers start: CLI, ``serve`` (Prefect stack),
  the review page (``web``);
* ``skizzen.outputs`` – what reporting consumers read: export, jury report;
* ``skizzen.steps`` – the pipeline steps the flows call, the quality runner, run records;
* ``skizzen.documents`` – PDF reading in a sandbox, text repair, the parse cache;
* ``skizzen.intake`` – mail sources (folders, Maildir, IMAP), MIME, blob store, triage;
* ``skizzen.settings`` – the one settings object, read at the edge.

The domain lives beside this package: ``extractors`` (pure), ``models`` (tables and all
queries), ``expectations`` (the rules of the call). Demo mailbox, evaluation and training
are tools around the runtime, in ``lab``.
"""
