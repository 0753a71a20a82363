from __future__ import annotations

from integrations.jazzhr.models import Upload
from integrations.jazzhr.services.candidate_lock import identity_key


def upload(**fields) -> Upload:
    defaults = {"first_name": "Jane", "last_name": "Doe", "requested_by_id": 1}
    return Upload(**{**defaults, **fields})


def test_email_identity_ignores_gmail_dots():
    first = upload(email="Jane.Doe@gmail.com")
    second = upload(email="janedoe@googlemail.com", first_name="J.")

    assert identity_key(first) == identity_key(second)


def test_bare_name_identity_per_recruiter():
    mine = upload(requested_by_id=1)
    theirs = upload(requested_by_id=2)

    assert identity_key(mine) != identity_key(theirs)
    assert identity_key(mine) == identity_key(upload(requested_by_id=1))


def test_name_with_phone_identity_across_recruiters():
    mine = upload(phone="(412) 555-0100", requested_by_id=1)
    theirs = upload(phone="+1 412 555 0100", requested_by_id=2)

    assert identity_key(mine) == identity_key(theirs)


def test_different_phones_are_different_people():
    first = upload(phone="412 555 0100")
    second = upload(phone="412 555 0199")

    assert identity_key(first) != identity_key(second)
