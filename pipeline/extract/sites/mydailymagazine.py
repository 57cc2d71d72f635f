"""mydailymagazine.com: the tagDiv theme's recommendation widgets ("Lovin' it!",
"Check It Out") carry no label the generic rules know."""

from pipeline.extract import sites


class MyDailyMagazine(sites.Site):
    hosts = ("mydailymagazine.com",)
    selectors = {"related": ".td_block_widget.td_block_7 h3 a"}
