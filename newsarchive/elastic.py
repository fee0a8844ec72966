"""The Elasticsearch client's JSON serializer: orjson (the client's OrjsonSerializer), with
the objects of the client's dsl (AttrList, anything with `to_dict`) handled as its own
default serializer handles them.

orjson because decoding the response (the largest part of a search's JSON work) took less
CPU than with the standard json module (docs/performance.md, "Search path").
"""
from elasticsearch.dsl.serializer import serializer as dsl_serializer
from elasticsearch.serializer import OrjsonSerializer


class Serializer(OrjsonSerializer):
    def default(self, data):
        return dsl_serializer.default(data)
