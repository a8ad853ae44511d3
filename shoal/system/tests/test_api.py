import pytest

pytestmark = pytest.mark.django_db


def test_null_characters_in_the_dictionary_kind_get_400_not_500(cast, client_for):
    # PostgreSQL refuses NUL in text; the query used to fail with a 500 there.
    response = client_for(cast["owner"]).get("/api/v1/dictionary/", {"kind": "a\x00b"})
    assert response.status_code == 400, response.content
    assert "kind" in response.json()["error"]["fields"]


def test_dictionary_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from shoal.system.models import DictionaryItem

    DictionaryItem.objects.bulk_create(
        DictionaryItem(kind="industry", code=f"code{i}", name=f"行业{i}") for i in range(50)
    )
    client = client_for(cast["owner"])
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/dictionary/", {"kind": "industry"})
    assert len(response.json()) >= 50
    with django_assert_max_num_queries(3):
        client.get("/api/v1/dictionary/kinds/")
