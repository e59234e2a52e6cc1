"""A Ban Cơ yếu certificate binds to the unit its subject names (issue 28 §1): test CAs shaped
like the real ones (a root and the issuing CA "CA phục vụ các cơ quan Nhà nước G2", both of
O=Ban Cơ yếu Chính phủ; a public CA beside them), subjects in exactly the layouts that CA
writes (docs/package.md), received by a district of Khánh Hòa."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import NameOID

from conftest import new_report
from desktop.submission.consolidate import consolidate
from desktop.foundation.directory import fold as plain
from desktop.submission.subjects import bare, province_name
from test_signers import package
from test_signing import PASS, forms  # noqa: F401  (forms: a fixture)

NOW = dt.datetime.now(dt.timezone.utc)
FIELDS = {"C": NameOID.COUNTRY_NAME, "L": NameOID.LOCALITY_NAME, "O": NameOID.ORGANIZATION_NAME,
          "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME, "E": NameOID.EMAIL_ADDRESS}


def _name(layout: str) -> x509.Name:
    """"C=VN, O=Ban Cơ yếu Chính phủ, CN=…" as an X.509 name, in that order."""
    pairs = [part.split("=", 1) for part in layout.split(", ")]
    return x509.Name([x509.NameAttribute(FIELDS[key], value) for key, value in pairs])


def _ca_certificate(subject: x509.Name, key, issuer: x509.Name, issuer_key) -> x509.Certificate:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(issuer_key, hashes.SHA256()))


class Hierarchy:
    """A root and its issuing CA; ``issue`` gives a holder's .p12 with the issuing CA in it."""

    def __init__(self, folder: Path, root: str, issuing: str) -> None:
        self.root_key, self.key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in "12")
        root_name, issuing_name = _name(root), _name(issuing)
        self.root = _ca_certificate(root_name, self.root_key, root_name, self.root_key)
        self.issuing = _ca_certificate(issuing_name, self.key, root_name, self.root_key)
        self.root_file = folder / f"goc-{abs(hash(root))}.pem"
        self.root_file.write_bytes(self.root.public_bytes(Encoding.PEM))

    def issue(self, layout: str) -> bytes:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = (
            x509.CertificateBuilder().subject_name(_name(layout)).issuer_name(self.issuing.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(hours=1)).not_valid_after(NOW + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(self.key, hashes.SHA256()))
        return pkcs12.serialize_key_and_certificates(b"holder", key, certificate, [self.issuing],
                                                     BestAvailableEncryption(PASS.encode()))


@pytest.fixture(scope="module")
def ban_co_yeu(tmp_path_factory):
    return Hierarchy(tmp_path_factory.mktemp("bcy"), "C=VN, O=Ban Cơ yếu Chính phủ, CN=RootCA chuyên dùng Chính phủ G2 (thử)",
                     "C=VN, O=Ban Cơ yếu Chính phủ, CN=CA phục vụ các cơ quan Nhà nước G2 (thử)")


@pytest.fixture(scope="module")
def public_ca(tmp_path_factory):
    return Hierarchy(tmp_path_factory.mktemp("vnpt"), "C=VN, O=Ministry of Information and Communications, "
                     "CN=Vietnam National Root CA (thử)", "C=VN, O=VIETNAM POSTS AND TELECOMMUNICATIONS GROUP, "
                     "CN=VNPT-CA SHA2 (thử)")


def _khanh_son(store) -> int:
    """Khánh Hòa › huyện Khánh Sơn › xã Sơn Trung (H1.X1) and xã Sơn Bình (H1.X2): the district's report."""
    store.units.add("KH", "Tỉnh Khánh Hòa", "tinh")
    store.units.add("H1", "Ủy ban nhân dân huyện Khánh Sơn", "huyen", "KH")
    store.units.add("H1.X1", "Xã Sơn Trung", "xa", "H1", 1)
    store.units.add("H1.X2", "Xã Sơn Bình", "xa", "H1", 2)
    return new_report(store, "huyen", unit="H1")


ORGANISATION = "C=VN, L=Khánh Hòa, O=ỦY BAN NHÂN DÂN HUYỆN KHÁNH SƠN, CN=ỦY BAN NHÂN DÂN XÃ SƠN TRUNG"
OFFICIAL = ("C=VN, L=Khánh Hoà, O=UBND huyện Khánh Sơn, OU=UBND xã Sơn Trung, CN=Nguyễn Văn A, "
            "E=nva@khanhhoa.gov.vn")


@pytest.mark.parametrize("layout, binds", [
    # | subject as the Ban Cơ yếu writes it                                        | binds H1.X1 |
    (ORGANISATION, True),                                                           # the body's own
    (OFFICIAL, True),                                                               # an official of it
    (ORGANISATION.replace("SƠN TRUNG", "SƠN BÌNH"), False),                         # the neighbour
    (ORGANISATION.replace("XÃ SƠN", "PHƯỜNG SƠN"), False),                          # another level
    (ORGANISATION.replace("L=Khánh Hòa", "L=Ninh Thuận"), False),                   # another province
    (ORGANISATION.replace("C=VN, L=Khánh Hòa, ", "C=VN, "), False),                 # no province said
    (ORGANISATION.replace("HUYỆN KHÁNH SƠN", "HUYỆN KHÁNH VĨNH"), False),           # another body above
    (OFFICIAL.replace("OU=UBND xã Sơn Trung, ", "OU=Văn phòng HĐND và UBND, "), False),  # not the unit
])
def test_a_ban_co_yeu_certificate_binds_to_the_unit_its_subject_names(store, forms, tmp_path, ban_co_yeu,
                                                                      layout, binds):
    district = _khanh_son(store)
    signed = package(tmp_path, forms, ban_co_yeu.issue(layout), unit="H1.X1")
    [received] = consolidate(store, forms, district, [signed], root_paths=[str(ban_co_yeu.root_file)]).received
    assert received.status == ("accepted" if binds else "held"), received.message
    assert [c.bound_by for c in store.certificates.all("H1.X1")] == (["ca"] if binds else [])


def test_names_bind_only_from_the_ban_co_yeu_and_only_when_trusted(store, forms, tmp_path, ban_co_yeu, public_ca):
    district = _khanh_son(store)
    # a public CA writes what the applicant asked: the same names bind nothing
    from_public = package(tmp_path, forms, public_ca.issue(ORGANISATION), unit="H1.X1", folder="vnpt")
    [received] = consolidate(store, forms, district, [from_public], root_paths=[str(public_ca.root_file)]).received
    assert received.status == "held"
    # the Ban Cơ yếu's certificate with its root not configured: not CA-verified, held
    untrusted = package(tmp_path, forms, ban_co_yeu.issue(ORGANISATION), unit="H1.X1", folder="bcy")
    [received] = consolidate(store, forms, district, [untrusted]).received
    assert received.status == "held"
    assert store.certificates.all("H1.X1") == []


def test_a_name_two_units_of_the_province_share_binds_neither(store, forms, tmp_path, ban_co_yeu):
    district = _khanh_son(store)
    store.units.add("H2", "Ủy ban nhân dân huyện Khánh Vĩnh", "huyen", "KH")
    store.units.add("H2.X1", "Xã Sơn Trung", "xa", "H2", 1)
    signed = package(tmp_path, forms, ban_co_yeu.issue(ORGANISATION), unit="H1.X1")
    [received] = consolidate(store, forms, district, [signed], root_paths=[str(ban_co_yeu.root_file)]).received
    assert received.status == "held"


def test_a_commune_of_todays_two_tiers_binds_under_its_province(store, forms, tmp_path, ban_co_yeu):
    """Since 1 July 2025 a commune reports to the province: O is the province's committee."""
    store.units.add("KH", "Tỉnh Khánh Hòa", "tinh")
    store.units.add("KH.X1", "Xã Tây Khánh Sơn", "xa", "KH", 1)
    province = new_report(store, "huyen", unit="KH")
    layout = "C=VN, L=Khánh Hòa, O=ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA, CN=ỦY BAN NHÂN DÂN XÃ TÂY KHÁNH SƠN"
    signed = package(tmp_path, forms, ban_co_yeu.issue(layout), unit="KH.X1")
    [received] = consolidate(store, forms, province, [signed], root_paths=[str(ban_co_yeu.root_file)]).received
    assert received.status == "accepted", received.message


@pytest.mark.parametrize("text, as_plain, as_bare", [
    ("ỦY BAN NHÂN DÂN XÃ SƠN TRUNG", "uy ban nhan dan xa son trung", "xa son trung"),
    ("UBND xã Đắk Kôi", "ubnd xa dak koi", "xa dak koi"),
    ("Ủy ban nhân dân  huyện Kon-Rẫy", "uy ban nhan dan huyen kon ray", "huyen kon ray"),
    ("Xã Sơn Trung", "xa son trung", "xa son trung"),
])
def test_names_are_compared_without_diacritics_case_punctuation_or_the_kind_word(text, as_plain, as_bare):
    assert plain(text) == as_plain and bare(text) == as_bare


def test_a_province_is_named_with_or_without_its_kind():
    assert {province_name(n) for n in ("Tỉnh Khánh Hòa", "UBND tỉnh Khánh Hoà", "Khánh Hòa", "KHÁNH HÒA")} == {"khanh hoa"}
    assert province_name("Thành phố Hà Nội") == province_name("Hà Nội") == "ha noi"
