"""Where links point: the two hosts of the site and the many ways a page spells an article URL."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class SiteUrls:
    """The preferred host, and a mirror serving the same pages (a member subdomain on the site)."""

    base: str = "http://www.sjfzxm.com"
    mirror: str = "http://weixifushi88.sjfzxm.com"

    def article(self, article_id: int) -> str:
        return f"{self.base}/global/en/{article_id}.html"


LIST_PATH = "/global/en/"
ARCHIVE_PATH = "/global/en/archive/"
PRIVATE_PATH = "/global/en/private/"
LEGACY_PATH = "/news/show.asp"
OFFSITE_HOST = "http://offsite.example"


def article_path(article_id: int) -> str:
    return f"/global/en/{article_id}.html"


def list_path(page: int) -> str:
    return LIST_PATH if page == 1 else f"{LIST_PATH}index_{page}.html"


def varied_href(urls: SiteUrls, article_id: int, salt: int = 0) -> str:
    """An article link as real portals write them: mostly relative, some tracked or on a mirror."""
    path = article_path(article_id)
    variant = (article_id * 7 + salt * 3) % 13
    if variant == 1:
        return escape(f"{path}?utm_source=newsletter&utm_medium=email")
    if variant == 2:
        return f"{path}?from=timeline"
    if variant == 3:
        return f"{urls.mirror}{path}"
    if variant == 4:
        return f"{urls.base}{path}"
    return path


def image_url(article_id: int, index: int, published_day: str) -> str:
    digest = hashlib.md5(f"{article_id}:{index}".encode()).hexdigest()
    host = 1 + int(digest[0], 16) % 4
    return (
        f"http://img{host}.sjfzxm.com/upload/image_remote/{published_day}/{uuid.UUID(digest)}.jpg"
    )
