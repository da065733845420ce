"""The functions reach Managed MySQL over TLS that verifies the server against Yandex's root CA."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
import zipfile
from pathlib import Path
from typing import Any

import pymysql
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.x509.oid import NameOID
from sqlalchemy import create_engine

from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.coldstart import ROOT_CA, database_url
from campaignctl.stack.yandex.package import build_bundle
from tests.stack.conftest import campaign_path

ENV = {
    "CAMPAIGNCTL_DB_HOST": "rc1a-abc.mdb.yandexcloud.net",
    "CAMPAIGNCTL_DB_USER": "campaignctl",
    "CAMPAIGNCTL_DB_NAME": "campaign",
}


def _connection() -> pymysql.connections.Connection:  # type: ignore[type-arg]
    engine = create_engine(database_url(ENV, {"db_password": "p@ss/word"}))
    _, kwargs = engine.dialect.create_connect_args(engine.url)
    return pymysql.connections.Connection(defer_connect=True, **kwargs)


def test_the_bundled_root_is_yandexs_published_ca() -> None:
    (root,) = x509.load_pem_x509_certificates(ROOT_CA.read_bytes())
    assert (
        root.subject.rfc4514_string() == root.issuer.rfc4514_string() == "CN=YandexInternalRootCA"
    )
    public_key: Any = root.public_key()
    public_key.verify(  # self-signed: the bytes are the certificate, not a copy with typos
        root.signature,
        root.tbs_certificate_bytes,
        padding.PKCS1v15(),
        root.signature_hash_algorithm,
    )
    assert root.fingerprint(hashes.SHA256()).hex().upper() == (
        "E3C3192646536BC4FFAE6DD34324EF9DD8D3B16DFA13A24E13180EF14BA21BBA"
    )
    assert root.not_valid_after_utc > dt.datetime(2033, 1, 1, tzinfo=dt.UTC)


def test_the_driver_verifies_the_server_and_its_name_against_that_root_only() -> None:
    connection = _connection()
    assert connection.ssl
    assert connection.ctx.verify_mode == ssl.CERT_REQUIRED
    assert connection.ctx.check_hostname
    assert [c["subject"] for c in connection.ctx.get_ca_certs()] == [
        ((("commonName", "YandexInternalRootCA"),),)
    ]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_a_server_yandex_did_not_sign_is_refused(tmp_path: Path) -> None:
    # A man in the middle with a certificate of its own: the handshake fails.
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(*_self_signed(tmp_path))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            try:
                with server_ctx.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
            pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"),
        ):
            _connection().ctx.wrap_socket(raw, server_hostname="localhost")
        thread.join(10)


def test_the_function_package_carries_the_root(tmp_path: Path) -> None:
    bundle = build_bundle(load_campaign(campaign_path("receipt-draw")), tmp_path)
    names = zipfile.ZipFile(bundle.path).namelist()
    assert f"campaignctl/stack/yandex/{ROOT_CA.name}" in names
