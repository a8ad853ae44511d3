"""The OpenAPI schema is the web app's contract (its client is generated from it): it must build
without a single warning — a warning means a name collision or an operation typed by guesswork."""

from django.core.management import call_command


def test_the_openapi_schema_builds_without_warnings(tmp_path):
    call_command("spectacular", "--file", str(tmp_path / "schema.yml"), "--validate", "--fail-on-warn")
    assert (tmp_path / "schema.yml").stat().st_size > 10_000
