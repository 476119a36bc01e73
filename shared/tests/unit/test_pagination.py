"""Every list answers its total; `page_of` counts only when the page itself
cannot tell it (a full page, or an empty page past the first)."""
import uuid

import pytest
from sqlalchemy import event

TOYS = 7


@pytest.fixture
def toys(client, auth):
    for n in range(TOYS):
        response = client.post("/toys", json={"name": f"toy-{n}", "patient_id": str(uuid.uuid4())}, headers=auth())
        assert response.status_code == 201


@pytest.fixture
def counts(runtime):
    """The COUNT statements run on the service's database from now on."""
    seen = []

    def note(_connection, _cursor, statement, *_rest):
        if "count(" in statement.lower():
            seen.append(statement)

    event.listen(runtime.db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(runtime.db.engine, "before_cursor_execute", note)


def listing(client, auth, **query):
    response = client.get("/toys", query_string=query, headers=auth("admin"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("page, page_size, shown, counted", [
    (1, 25, 7, False),   # all in one page: the page is the last
    (2, 5, 2, False),    # a last page that is not full
    (1, 5, 5, True),     # a full page: more may follow
    (2, 7, 0, True),     # an empty page past the first: how many came before is not known
    (3, 3, 1, False),
    (1, 7, 7, True),     # full, exactly: only a count tells nothing follows
])
def test_the_total_is_right_whether_counted_or_told_by_the_page(client, auth, toys, counts, page, page_size,
                                                                shown, counted):
    body = listing(client, auth, page=page, page_size=page_size)
    assert (len(body["items"]), body["total"], body["page"], body["page_size"]) == (shown, TOYS, page, page_size)
    assert bool(counts) is counted


def test_an_empty_list_is_a_total_of_nothing_without_a_count(client, auth, counts):
    body = listing(client, auth)
    assert (body["items"], body["total"]) == ([], 0)
    assert counts == []
