"""The generic article: the body extractor (region, blocks, filters, standfirst) and the record of
``crawler.extract.extract_article``, the fallback of every site."""
