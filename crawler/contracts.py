"""Spider contracts of this project (``scrapy check``), beside Scrapy's own."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class FilledContract(Contract):
    """``@filled FIELD [FIELD...]``: every item the callback returns has a value in each field
    that is neither empty nor null. (``@scrapes`` only checks that the field exists, and every
    field of the record always does.) Registered in the setting ``SPIDER_CONTRACTS``."""

    name = "filled"

    def post_process(self, output: list[Any]) -> None:
        for item in output:
            if not is_item(item):
                continue
            adapter = ItemAdapter(item)
            empty = [field for field in self.args if adapter.get(field) in (None, "", [], {})]
            if empty:
                raise ContractFail(f"{adapter.get('id')}: empty {', '.join(empty)}")
