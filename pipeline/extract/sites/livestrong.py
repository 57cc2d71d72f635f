"""livestrong.com: its "People Are Reading" tab is labelled only from
JavaScript; the list itself is static HTML."""

from pipeline.extract import sites


class Livestrong(sites.Site):
    hosts = ("livestrong.com",)
    selectors = {"related": "#textlist_1 a"}
