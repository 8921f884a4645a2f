"""The one page reader: every page of every site is read here, over one lxml tree.

- ``document``: the one parser (``parse_html``), the one block model (``Block``, ``PageText``),
  the one content-region finder and the page's links.
- ``metadata``: meta tags, JSON-LD and the one canonical-link reader.
- ``lines``: line-level evidence shared by the page objects (bylines, teasers, badges).
- ``fields``: evidence-ranked fields (title, published_at, authors, keywords, language), each a
  small function over every source the page offers, with the source that won.
- ``page``: the page objects. ``PageReader`` holds the tree and the generic choices;
  ``ArticlePage`` declares its fields (``@field``) and gives the spider its links; a site module
  overrides a field or a threshold where it knows better.
- ``generic``: the generic article (``GenericArticle``): the body extractor every site falls back
  on. Its public entry points are ``crawler.extract.extract_article`` and
  ``python -m crawler.extract``.

No Scrapy here: the reading pool (``crawler.pool``) runs these in worker processes.
"""
