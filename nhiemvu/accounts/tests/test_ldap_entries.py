"""How a directory entry becomes an Identity, without a server (the slapd tests are `ldap`)."""

from __future__ import annotations

import uuid

from django.test import SimpleTestCase

from nhiemvu.accounts.ldap import _entry, identity_of
from nhiemvu.accounts.tests.slapd import directory_settings

CONF = directory_settings("ldap://ad.example", ID_ATTR="objectGUID", USERNAME_ATTR="sAMAccountName")


class EntryTest(SimpleTestCase):
    def test_active_directorys_guid_is_its_uuid_and_text_stays_text(self) -> None:
        guid = uuid.UUID("6ed33b04-8693-1041-882a-f7b68287dc65")
        entry = _entry(
            {
                "dn": "CN=Lê Văn Cường,OU=Người dùng,DC=gialai,DC=gov,DC=vn",
                "raw_attributes": {
                    "objectGUID": [guid.bytes_le],
                    "sAMAccountName": [b"cuong.le"],
                    "cn": ["Lê Văn Cường".encode()],
                    # 16 bytes of UTF-8, like a GUID's length: still a name.
                    "ou": ["Sở Tài chính".encode()],
                    "memberOf": [b"CN=skhcn-canbo,OU=groups,DC=gialai,DC=gov,DC=vn"],
                    "userPassword": [b"never-a-claim"],
                },
            }
        )
        person = identity_of(entry, ("cn=nhiemvu-lanhdao,ou=groups,dc=gialai,dc=gov,dc=vn",), CONF)
        self.assertEqual(person.subject, str(guid))
        self.assertEqual(person.username, "cuong.le")
        self.assertEqual(person.full_name, "Lê Văn Cường")
        self.assertEqual(person.claim("OU"), ("Sở Tài chính",))
        self.assertEqual(len(person.claim("memberof")), 1)
        self.assertEqual(
            person.claim("groups"), ("cn=nhiemvu-lanhdao,ou=groups,dc=gialai,dc=gov,dc=vn",)
        )
        self.assertEqual(person.claim("userPassword"), ())
