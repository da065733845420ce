"""Registrations into the client's CRM: the record, the field mapping, payloads, signing.

The runtime's CRM sync worker builds every request with :func:`build_payload`,
so the mapping documented by ``campaignctl render`` (``crm/mapping.json``) is
exactly what is sent.
"""

from __future__ import annotations

from campaignctl.crm.fields import Target, mapping_for
from campaignctl.crm.payload import CrmRequest, build_payload, csv_header, csv_row
from campaignctl.crm.record import ReceiptIds, RegistrationRecord
from campaignctl.crm.signing import SignatureInvalid, sign, verify

__all__ = [
    "CrmRequest",
    "ReceiptIds",
    "RegistrationRecord",
    "SignatureInvalid",
    "Target",
    "build_payload",
    "csv_header",
    "csv_row",
    "mapping_for",
    "sign",
    "verify",
]
