"""Issue 14 item 8: after its successor was revoked (keyCompromise), a superseded certificate
re-downloaded the revoked p12 and its password through `POST /api/v1/renew`
(`already_renewed: true`). The rule now: a certificate whose successor is revoked cannot renew
itself (409 `successor_revoked`, on the API, EST and the portal's download); an administrator
decides (reissue, or revoke the lineage). `inkan revoke --lineage` revokes every certificate of
the lineage, predecessors and successors, in one step."""
from __future__ import annotations

from serve_support import curl, not_before_for


def issue(ca, cn, days_left=30):
    return ca.issue("acme", cn, ca.root / "issued", "--key", "ec-p256", "--not-before", not_before_for(days_left))


def renew(server, cert):
    return curl(server, "/api/v1/renew", p12=cert["p12"], password=cert["password"], method="POST",
                data="{}", content_type="application/json")


def status_of(ca, serial):
    return ca.json("show", serial, "--format", "json")["status"]


def test_a_revoked_successor_is_not_handed_out_again(ca, server):
    old = issue(ca, "api-victim")
    first = renew(server, old)
    assert first.status == 200, first
    successor = first.json()["serial"]
    ca.run("revoke", successor, "--reason", "keyCompromise")
    again = renew(server, old)
    assert again.status == 409, again
    body = again.json()
    assert body["error"] == "successor_revoked" and "p12" not in body and "password" not in body, body
    me = curl(server, "/api/v1/me", p12=old["p12"], password=old["password"]).json()
    assert me["renewal"] == "successor_revoked" and me["renewable"] is False, me


def test_revoke_lineage_revokes_predecessors_and_successors(ca, server):
    old = issue(ca, "lineage-one")
    new = renew(server, old).json()["serial"]
    proc = ca.run("revoke", old["serial"], "--lineage", "--reason", "keyCompromise")
    assert status_of(ca, old["serial"]) == "revoked" and status_of(ca, new) == "revoked"
    assert old["serial"] in proc.stdout and new in proc.stdout, proc.stdout
    # From the successor's side, with one already revoked: the rest of the lineage.
    old2 = issue(ca, "lineage-two")
    new2 = renew(server, old2).json()["serial"]
    ca.run("revoke", new2, "--reason", "keyCompromise")
    ca.run("revoke", new2, "--lineage", "--reason", "keyCompromise")
    assert status_of(ca, old2["serial"]) == "revoked"
    assert renew(server, old2).status == 403


PORTAL_JA = "この証明書の更新後の証明書は失効しています。"
PORTAL_EN = "The certificate that replaced this one has been revoked"


def test_the_portal_says_the_successor_was_revoked(ca, server):
    """The API's 409 successor_revoked has its own text on the portal, in Japanese and English:
    on the status page, on the renewal form's answer (409) and on the successor's download."""
    old = issue(ca, "portal-victim")
    successor = renew(server, old).json()["serial"]
    before = curl(server, "/", p12=old["p12"], password=old["password"])
    assert before.status == 200 and PORTAL_JA not in before.text, before
    ca.run("revoke", successor, "--reason", "keyCompromise")

    page = curl(server, "/", p12=old["p12"], password=old["password"], headers=["Accept-Language: ja"])
    assert page.status == 200 and 'id="successor-revoked"' in page.text and PORTAL_JA in page.text, page.text
    en = curl(server, "/", p12=old["p12"], password=old["password"], headers=["Accept-Language: en"])
    assert PORTAL_EN in en.text and PORTAL_JA not in en.text, en.text

    # The page offers no form any more; the form's token from before (it is per certificate).
    csrf = before.text.split('name="csrf" value="')[1].split('"')[0]
    form = curl(server, "/renew", p12=old["p12"], password=old["password"], method="POST",
                data=f"csrf={csrf}", content_type="application/x-www-form-urlencoded",
                headers=["Accept-Language: ja"])
    assert form.status == 409 and PORTAL_JA in form.text and "successor-revoked" in form.text, form
    download = curl(server, f"/download/{successor}.p12", p12=old["p12"], password=old["password"],
                    headers=["Accept-Language: en"])
    assert download.status == 409 and PORTAL_EN in download.text, download
