"""Stable ELI-style addresses of rules, versions and articles, the canonical link, and the schema.org
``Legislation`` JSON-LD on rule pages (app/web/pages/rules.py)."""

from __future__ import annotations

import json
import re

import pytest

from app.web.pages.rules import eli_path, jsonld_script, legislation_jsonld

SH = "cn-sh/environment/sample-wwtp"
V2020, V2023 = f"{SH}@2020-01-01", f"{SH}@2023-03-01"


def _article(page: str) -> str:
    return re.search(r"<article class=\"rule\">.*</article>", page, re.S).group(0)


def _jsonld(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _canonical(page: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)


@pytest.mark.parametrize(
    ("eli", "classic"),
    [
        (f"/eli/{SH}", f"/rules/{SH}"),
        (f"/eli/{SH}/2023-03-01", f"/rules/{V2023}"),
        (f"/eli/{SH}/2020-01-01", f"/rules/{V2020}"),
        (f"/eli/{SH}?as_of=2021-01-01", f"/rules/{SH}?as_of=2021-01-01"),
    ],
)
def test_eli_addresses_answer_the_same_page_with_the_version_as_canonical(client, eli, classic):
    a, b = client.get(eli), client.get(classic)
    assert a.status_code == b.status_code == 200
    assert _article(a.get_data(as_text=True)) == _article(b.get_data(as_text=True))
    canonical = _canonical(a.get_data(as_text=True))
    assert canonical == _canonical(b.get_data(as_text=True))
    assert re.fullmatch(rf"http://localhost/eli/{SH}/\d{{4}}-\d\d-\d\d", canonical)
    if "as_of=2021" in eli:
        assert canonical.endswith("/2020-01-01")  # the version in force then


def test_an_article_address_redirects_to_the_article_of_its_version(client):
    resp = client.get(f"/eli/{SH}/2023-03-01/art_3")
    assert resp.status_code == 301
    assert resp.headers["Location"] == f"/eli/{SH}/2023-03-01#art-3"
    page = client.get(f"/eli/{SH}/2023-03-01").get_data(as_text=True)
    assert 'id="art-3"' in page


@pytest.mark.parametrize(
    ("url", "of_the_rule"),
    [
        (f"/eli/{SH}/2023-03-01/art_999", True),  # no such article
        (f"/eli/{SH}/2023-03-01/article-3", True),  # not an article address
        (f"/eli/{SH}/2023-02-30", True),  # not a date
        (f"/eli/{SH}/2019-01-01", True),  # no such version
        (f"/eli/{SH}/2023-02-30/art_3", True),
        ("/eli/cn-sh/environment/no-such-rule", False),
        ("/eli/cn-sh/environment", False),
    ],
)
def test_bad_eli_addresses_are_404_pages_leading_onward(client, url, of_the_rule):
    """A bad stable address is a 404 page in the page's language with a search box; when it names a
    rule the registry holds, the page lists that rule's versions (each at its /rules address)."""
    resp = client.get(url + "?lang=en")
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert 'id="error-search"' in page and "Traceback" not in page
    assert ('id="error-rule-versions"' in page) is of_the_rule
    if of_the_rule:
        assert f'href="/rules/{SH}@2023-03-01"' in page and "names no version or article of this rule" in page


def test_versions_link_to_their_stable_address(client):
    page = client.get(f"/rules/{V2023}").get_data(as_text=True)
    assert f'href="/eli/{SH}/2020-01-01"' in page
    assert f'id="eli">/eli/{SH}/2023-03-01</a>' in page


def test_rule_pages_describe_the_version_as_schema_org_legislation(client):
    page = client.get(f"/eli/{SH}/2023-03-01").get_data(as_text=True)
    node = _jsonld(page)
    assert node["@context"] == "https://schema.org" and node["@type"] == "Legislation"
    assert node["@id"] == node["url"] == _canonical(page)
    assert node["legislationIdentifier"][0] == V2023
    assert node["legislationDateVersion"] == "2023-03-01"
    assert node["legislationJurisdiction"] == {"@type": "AdministrativeArea", "identifier": "CN-SH", "name": "上海市"}
    assert node["isPartOf"]["@id"] == f"http://localhost/eli/{SH}"
    based = node["isBasedOn"] if isinstance(node["isBasedOn"], list) else [node["isBasedOn"]]
    assert {"@type": "Legislation", "@id": f"http://localhost/eli/{SH}/2020-01-01"} in based  # the earlier version
    first = _jsonld(client.get(f"/eli/{SH}/2020-01-01").get_data(as_text=True))
    assert not any(isinstance(b, dict) for b in ([first.get("isBasedOn")] if first.get("isBasedOn") else []))


def test_jsonld_cannot_end_its_script_element_and_the_csp_stays_strict(client):
    evil = "</script><script>alert(1)</script> & '"
    doc = {
        "id": SH,
        "version": V2023,
        "title": evil,
        "effective": "2023-03-01",
        "jurisdiction": "CN-SH",
        "kind": "local_standard",
        "status": "in_force",
        "versions": [],
    }
    block = jsonld_script(legislation_jsonld(doc, "https://r.example/"))
    body = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body and "'" not in body
    assert json.loads(body)["name"] == evil
    csp = client.get(f"/eli/{SH}").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_a_rule_not_in_force_shows_its_latest_version_with_a_notice(client):
    resp = client.get("/rules/cn-sh/data/sample-data-rule?as_of=2030-01-01&lang=en")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "No version of this rule is in force on Jan 1, 2030; this is its version of" in page
    assert "version-notice" not in client.get(f"/rules/{SH}").get_data(as_text=True)


def test_eli_path_doctest_cases():
    assert eli_path("cn-sh/data/x@2022-01-01", "10-1") == "/eli/cn-sh/data/x/2022-01-01/art_10-1"
    assert eli_path("cn-sh/data/x", "10") == "/eli/cn-sh/data/x"  # an article needs its version
