import base64
import hashlib
import hmac
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from laurel.core.tickets import (
    PREFIX,
    Claim,
    TicketForged,
    code_derive,
    code_normalise,
    keypair_new,
    looks_like_payload,
    payload_parse,
    payload_sign,
    payload_verify,
)

# RFC 8032 §7.1, TEST 1: a published Ed25519 key pair, so the public key below is checked too.
REFERENCE_PRIVATE = bytes.fromhex(
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
)
REFERENCE_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
# Event 1, ticket 1,000 (base 36: RS) under that key. Ed25519 signatures are deterministic:
# if this string changes, every printed ticket stops scanning.
REFERENCE_PAYLOAD = (
    "L1.1.RS.YjG1MTOh1OFmEN3M4u7IjrRyBJAHSRA1qPrUSQ1EASJYwyZqz_JjawHTUiTwm1RvglVhyzHLC_X1Q3PUSSb7AQ"
)
REFERENCE_CODE = "TCWZ-K66Z"
CODE_SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


@pytest.fixture(scope="module")
def keys():
    return keypair_new()


@pytest.fixture(scope="module")
def payload(keys):
    private, _ = keys
    return payload_sign(private, event_id=7, ticket_id=123_456)


def test_a_key_pair_is_32_raw_bytes_each_and_the_public_key_checks_the_private_keys_work():
    private, public = keypair_new()
    assert (len(private), len(public)) == (32, 32)
    signature = Ed25519PrivateKey.from_private_bytes(private).sign(b"text")
    Ed25519PublicKey.from_public_bytes(public).verify(signature, b"text")  # raises if not
    assert keypair_new()[0] != private


def test_a_signed_payload_verifies_to_its_claim(keys, payload):
    _, public = keys
    assert payload_verify(payload, public) == Claim(event_id=7, ticket_id=123_456)


def test_the_largest_ids_make_the_round_trip(keys):
    private, public = keys
    largest = 2**63 - 1
    signed = payload_sign(private, event_id=largest, ticket_id=largest)
    assert payload_verify(signed, public) == Claim(event_id=largest, ticket_id=largest)


def test_white_space_around_a_scanned_payload_is_ignored(keys, payload):
    _, public = keys
    assert payload_verify(f" {payload}\r\n", public).ticket_id == 123_456


def replacements(char: str) -> list[str]:
    """Two other characters for ``char``: the next one in its own class, and a far one."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
    if char not in alphabet:  # the dots
        return ["-", "A"]
    index = alphabet.index(char)
    return [alphabet[(index + 1) % len(alphabet)], alphabet[(index + 33) % len(alphabet)]]


def test_a_payload_with_any_character_changed_is_forged(keys, payload):
    _, public = keys
    accepted = []
    for position, char in enumerate(payload):
        for other in replacements(char):
            changed = payload[:position] + other + payload[position + 1 :]
            try:
                payload_verify(changed, public)
            except TicketForged:
                continue
            accepted.append(changed)
    assert accepted == []


def test_the_last_signature_characters_unused_bits_must_be_zero():
    head, _, signature = REFERENCE_PAYLOAD.rpartition(".")
    assert signature[-1] == "Q"  # 0b010000: its four low bits are unused
    assert base64.urlsafe_b64decode(signature[:-1] + "R==") == base64.urlsafe_b64decode(
        signature + "=="
    )
    with pytest.raises(TicketForged):
        payload_verify(f"{head}.{signature[:-1]}R", REFERENCE_PUBLIC)


def test_a_payload_verified_with_another_events_key_is_forged(payload):
    _, other_public = keypair_new()
    with pytest.raises(TicketForged):
        payload_verify(payload, other_public)


def test_a_payload_signed_with_another_key_is_forged(keys):
    _, public = keys
    other_private, _ = keypair_new()
    with pytest.raises(TicketForged):
        payload_verify(payload_sign(other_private, event_id=7, ticket_id=123_456), public)


SIGNATURE = REFERENCE_PAYLOAD.rpartition(".")[2]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "L1",
        "L1.",
        "L1.1.RS",
        "L1.1.RS.",
        f"L1.1.{SIGNATURE}",
        f"L1..RS.{SIGNATURE}",
        f"L1.1..{SIGNATURE}",
        f".1.RS.{SIGNATURE}",
        f"1.RS.{SIGNATURE}",
        f"l1.1.RS.{SIGNATURE}",  # lower-case prefix
        f"L2.1.RS.{SIGNATURE}",
        f"L1.1.rs.{SIGNATURE}",  # base 36 is upper case
        f"L1.01.RS.{SIGNATURE}",  # a leading zero
        f"L1.0.RS.{SIGNATURE}",  # ids start at 1
        f"L1.-1.RS.{SIGNATURE}",
        f"L1.+1.RS.{SIGNATURE}",
        f"L1.1.R$.{SIGNATURE}",
        f"L1.1_0.RS.{SIGNATURE}",  # int() would read 10
        f"L1.１.RS.{SIGNATURE}",  # a full-width digit; int() would read 1
        f"L1. 1.RS.{SIGNATURE}",
        f"L1.1.RS.{SIGNATURE}.",  # extra dots
        f"L1.1.RS.{SIGNATURE}.X",
        f"L1.1.1.RS.{SIGNATURE}",
        f"L1.1Y2P0IJ32E8E8.RS.{SIGNATURE}",  # 2**63: past a bigint
        f"L1.1.ZZZZZZZZZZZZZ.{SIGNATURE}",
        f"L1.10000000000000.RS.{SIGNATURE}",  # 14 digits
        f"L1.1.RS.{SIGNATURE}==",  # padding
        f"L1.1.RS.{SIGNATURE[:-1]}",  # 85 characters
        f"L1.1.RS.{SIGNATURE}A",  # 87 characters
        f"L1.1.RS.{SIGNATURE[:-2]}+/",  # base64, not base64url
        f"L1.1.RS.{SIGNATURE[:-2]}=A",
        f"L1.1.RS.{SIGNATURE[:40]}\n{SIGNATURE[41:]}",
    ],
)
def test_malformed_payloads_are_forged(text):
    with pytest.raises(TicketForged):
        payload_parse(text)
    with pytest.raises(TicketForged):
        payload_verify(text, REFERENCE_PUBLIC)


def test_the_malformed_cases_differ_from_a_good_payload_only_in_their_flaw():
    assert payload_parse(f"L1.1.RS.{SIGNATURE}") == Claim(event_id=1, ticket_id=1000)
    largest = "1Y2P0IJ32E8E7"  # 2**63 - 1, one below the refused case
    assert payload_parse(f"L1.{largest}.RS.{SIGNATURE}").event_id == 2**63 - 1


def test_a_payload_is_parsed_without_the_key_and_its_signature_unchecked(keys):
    other_private, _ = keypair_new()
    claim = payload_parse(payload_sign(other_private, event_id=35, ticket_id=36))
    assert claim == Claim(event_id=35, ticket_id=36)
    head, _, signature = REFERENCE_PAYLOAD.rpartition(".")
    wrong_signature = f"{head}.{'A' * 85}A"
    assert payload_parse(wrong_signature) == Claim(event_id=1, ticket_id=1000)
    with pytest.raises(TicketForged):
        payload_verify(wrong_signature, REFERENCE_PUBLIC)


@pytest.mark.parametrize("bad", [0, -1, 2**63, True, 1.0, "1"])
def test_signing_refuses_ids_a_payload_cannot_carry(keys, bad):
    private, _ = keys
    with pytest.raises(ValueError, match="integer from 1") as refused:
        payload_sign(private, event_id=bad, ticket_id=1)
    assert not isinstance(refused.value, TicketForged)
    with pytest.raises(ValueError, match="integer from 1"):
        payload_sign(private, event_id=1, ticket_id=bad)


def test_a_scanned_payload_is_told_from_a_typed_code(payload):
    assert looks_like_payload(payload)
    assert looks_like_payload(f" {payload}\r\n")
    assert looks_like_payload("L1.garbage")  # then refused as forged, not looked up as a code
    assert not looks_like_payload("TCWZ-K66Z")
    assert not looks_like_payload("l1.1.RS")
    assert not looks_like_payload("L1")
    assert not looks_like_payload("")


def test_the_code_is_the_same_for_the_same_key_and_ticket(keys):
    private, _ = keys
    assert code_derive(private, 42) == code_derive(private, 42)


def test_codes_differ_across_tickets_and_keys(keys):
    private, _ = keys
    codes = {code_derive(private, ticket) for ticket in range(1, 1001)}
    assert len(codes) == 1000
    other_private, _ = keypair_new()
    assert code_derive(other_private, 42) != code_derive(private, 42)


def test_codes_are_eight_crockford_characters_shown_in_two_fours(keys):
    private, _ = keys
    codes = [code_derive(private, ticket) for ticket in range(1, 301)]
    assert [code for code in codes if not CODE_SHAPE.fullmatch(code)] == []
    used = set("".join(codes).replace("-", ""))
    assert used == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")  # all 32, none other
    assert all(code_normalise(code) == code for code in codes)


def test_the_reference_vector_never_drifts():
    public = Ed25519PrivateKey.from_private_bytes(REFERENCE_PRIVATE).public_key()
    assert public.public_bytes_raw() == REFERENCE_PUBLIC
    assert payload_sign(REFERENCE_PRIVATE, event_id=1, ticket_id=1000) == REFERENCE_PAYLOAD
    assert code_derive(REFERENCE_PRIVATE, 1000) == REFERENCE_CODE


def test_a_device_verifies_the_reference_payload_as_the_module_says():
    head, _, signature = REFERENCE_PAYLOAD.rpartition(".")
    assert head == f"{PREFIX}.1.RS"
    assert (int(head.split(".")[1], 36), int(head.split(".")[2], 36)) == (1, 1000)
    Ed25519PublicKey.from_public_bytes(REFERENCE_PUBLIC).verify(
        base64.urlsafe_b64decode(signature + "=="), head.encode()
    )  # raises if not


def test_the_reference_code_as_the_module_says_with_the_standard_library_alone():
    # HKDF-SHA256 (RFC 5869), no salt: extract with 32 zero bytes, expand one block.
    pseudo_random_key = hmac.new(bytes(32), REFERENCE_PRIVATE, hashlib.sha256).digest()
    code_key = hmac.new(
        pseudo_random_key, b"laurel ticket code v1" + b"\x01", hashlib.sha256
    ).digest()
    digest = hmac.new(code_key, (1000).to_bytes(8, "big"), hashlib.sha256).digest()
    bits = f"{int.from_bytes(digest[:5], 'big'):040b}"
    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    digits = "".join(crockford[int(bits[at : at + 5], 2)] for at in range(0, 40, 5))
    assert f"{digits[:4]}-{digits[4:]}" == REFERENCE_CODE


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH",
        "abcd efgh",
        "abcdefgh",
        " ABCD - EFGH \n",
        "ＡＢＣＤ－ＥＦＧＨ",  # full width, as a Chinese input method types it
        "ａｂｃｄ　ｅｆｇｈ",  # and an ideographic space
    ],
)
def test_typed_codes_are_normalised(typed):
    assert code_normalise(typed) == "ABCD-EFGH"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("O0o0-1111", "0000-1111"),
        ("IiLl-1111", "1111-1111"),
        ("ＯＩＬ０-2345", "0110-2345"),
    ],
)
def test_look_alike_letters_are_read_as_digits(typed, code):
    assert code_normalise(typed) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD-EFG",  # 7
        "ABCD-EFGHJ",  # 9
        "ABCD-EFGU",  # U is not Crockford's (nor read as V)
        "ABCD-EFG*",
        "ABCD_EFGH",
        "ABCD.EFGH",
        "ABCD-EFGÉ",
        "ABCD-EFG٣",  # an Arabic-Indic digit
        "L1.1.RS",
    ],
)
def test_what_cannot_be_a_code_is_refused_as_empty(typed):
    assert code_normalise(typed) == ""
