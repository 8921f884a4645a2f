"""Scrapy extensions of the project, one job each."""
