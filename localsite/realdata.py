"""The one real article (587064) and its neighbours, from shared/sites/sjfzxm/article-587064.txt.

Kept in the package because CI does not always have the shared folder beside the repository.
"""

from __future__ import annotations

from datetime import datetime

REAL_ID = 587064
REAL_TITLE = (
    "Aksu Textile Industrial City On The List Of Xinjiang Digital Economy Demonstration Park "
    "In 2021"
)
REAL_PUBLISHED = datetime(2021, 9, 7, 15, 8, 0)
REAL_VIEWS = 0
REAL_KEYWORDS = ["Aksu Textile Industrial City"]
REAL_SOURCE = "Aksu daily"
# The real breadcrumb shows only "Home >"; all its related entries are in this section, so is it.
REAL_CATEGORY = "Local hotspot"

REAL_PARAGRAPHS: tuple[str, ...] = (
    "Recently, Xinjiang Digital Economy Demonstration Park was announced in 2021, and Aksu "
    "textile industry city (Development Zone) was listed.",
    "On September 2, the reporter learned from the Regional Bureau of industry and "
    "information technology that the six selected parks were Urumqi high tech Zone (new urban "
    "area), Xinjiang Software Park Co., Ltd., Yining border economic cooperation zone, "
    "Xinjiang Zhundong economic and Technological Development Zone, Karamay cloud computing "
    "Industrial Park and Akesu textile industrial city (Development Zone).",
    "Since the establishment of Aksu textile industry city (Development Zone) approved by the "
    "people's Government of the autonomous region in October 2010, it has always adhered to "
    "the guidance of science and technology, driven the industry by technology, planned "
    "development scientifically, and vigorously developed the textile and clothing industry "
    "chain cluster with the textile and clothing industry as the leading factor and the "
    "Industrial Park as the carrier. Up to now, there are 546 enterprises registered in the "
    "park, including 42 enterprises above the designated size; With an annual output value of "
    'more than 10 billion yuan, it has become the first city in southern Xinjiang with "three '
    "cities, seven parks and one center\" in Xinjiang's textile and garment industry, and has "
    "become an autonomous region level high-tech industrial park in 2013; It has two research "
    "centers of textile and clothing at the autonomous region level, one of the largest "
    "cotton textile inspection centers in Northwest China, 15 patents owned by enterprises, "
    "and 2 enterprises are applying for the identification of high-tech enterprises.",
    "It is understood that the autonomous region requires each demonstration park to further "
    "clarify its development goals and tasks, actively broaden the depth and breadth of "
    "digital industrialization and industrial digital application, give full play to the role "
    "of demonstration and guidance, and make new contributions to the development of "
    "Xinjiang's digital economy.",
    "Promoting the great development of digital economy is an important prerequisite and "
    "guarantee for comprehensively supporting the digital transformation of Xinjiang's "
    "economy and society and promoting the formation of a strong domestic demand market. This "
    "year, the region has accelerated industrial digitization and digital industrialization, "
    "and promoted the deep integration of energy and chemical industry, textile and clothing, "
    "machinery and equipment, mining industry and other key industries, with remarkable "
    "results.",
)

# "Related reading" on the real page: (title, published, count), newest first, all "Local hotspot".
REAL_RELATED: tuple[tuple[str, datetime, int], ...] = (
    ("Xinjiang: Ending Of Cotton Purchase Credit", datetime(2021, 9, 1, 2, 3), 2),
    (
        "President Li Lingshen And His Party Investigate Key Enterprises In Shandong",
        datetime(2021, 9, 1, 2, 0),
        37,
    ),
    (
        'Jiangxi Institute Of Fashion Takes The Road Of "Integration Of Production And Education"',
        datetime(2021, 8, 26, 8, 27),
        5,
    ),
    (
        'Local Hot Spot: Shandong Zaozhuang Textile Industry "Group" To Enter The Market',
        datetime(2021, 8, 25, 9, 39),
        3,
    ),
    (
        "Qianjiang: Xiang Bin'S Special Investigation On Textile And Garment Industry In Our City",
        datetime(2021, 8, 20, 11, 54),
        4,
    ),
)

# "Read the next article" on the real page. Its teaser is the first TEASER_CHARS characters of
# the body, which is why it stops at "September 2": the page cuts by length, not by sentence.
NEXT_TITLE = (
    "Zhoukou City And Henan Institute Of Engineering Held A Forum On School Local Cooperation In "
    "Textile And Garment Industry Development"
)
NEXT_PUBLISHED = datetime(2021, 9, 6, 17, 26)
NEXT_FIRST_PARAGRAPH = (
    "Strive for the development of textile and garment industry, talk about the bright future of "
    "school local cooperation, and work together to build a demonstration base for the integration "
    "of production and education of textile and clothing industry in Henan province"
)
NEXT_TEASER = NEXT_FIRST_PARAGRAPH + " September 2"
NEXT_PARAGRAPHS: tuple[str, ...] = (
    NEXT_FIRST_PARAGRAPH,
    "September 2, the forum on school local cooperation in textile and garment industry "
    "development was held in Zhoukou. Leaders of the municipal government, teachers of Henan "
    "Institute of Engineering and more than 60 enterprises attended the meeting.",
    "At the meeting, the two sides signed a framework agreement on industry education "
    "integration, and jointly unveiled the Zhoukou textile and garment industry college. The "
    "college will train pattern makers, mechanics and e-commerce talents for local "
    "enterprises.",
    "It is understood that Zhoukou has formed a textile and garment industry cluster with an "
    "annual output value of more than 30 billion yuan, and the demand for skilled workers is "
    "urgent.",
)
TEASER_CHARS = len(NEXT_TEASER)
