"""Entity-tag lists as RFC 9110 section 8.8.3 writes them, parsed without a request."""

import pytest

from app.api.conditional import EntityTag, etag_for, parse_entity_tags


def test_an_etag_is_the_version_in_quotes():
    assert etag_for(7) == '"7"'


@pytest.mark.parametrize(
    ("value", "tags"),
    [
        ('"1"', [EntityTag("1", is_weak=False)]),
        ('W/"1"', [EntityTag("1", is_weak=True)]),
        ('"1", W/"2"', [EntityTag("1", is_weak=False), EntityTag("2", is_weak=True)]),
        (' "a,b" ,\t"c" ', [EntityTag("a,b", is_weak=False), EntityTag("c", is_weak=False)]),
        ('"1",,"2",', [EntityTag("1", is_weak=False), EntityTag("2", is_weak=False)]),
        ('""', [EntityTag("", is_weak=False)]),
        ("", []),
        (" , ", []),
    ],
)
def test_a_well_formed_list_is_parsed(value, tags):
    assert parse_entity_tags(value) == tags


@pytest.mark.parametrize(
    "value", ["1", '"1', '1"', '"1" "2"', 'w/"1"', 'W/ "1"', '"a"b', "*", '"\x7f"']
)
def test_a_malformed_list_is_refused(value):
    assert parse_entity_tags(value) is None
