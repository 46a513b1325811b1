import math

import pytest

from feedback import codes


def test_codes_have_at_least_40_bits_from_an_alphabet_without_lookalikes():
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 32
    assert not set("ILOU") & set(codes.ALPHABET)
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 40
    assert codes.BITS == codes.LENGTH * math.log2(len(codes.ALPHABET))


def test_codes_are_random_not_sequential():
    sample = [codes.new_code() for _i in range(2000)]
    assert len(set(sample)) == len(sample)
    assert all(len(c) == codes.LENGTH and set(c) <= set(codes.ALPHABET) for c in sample)
    # Every symbol turns up in every position: nothing is fixed or counted up.
    for position in range(codes.LENGTH):
        assert len({c[position] for c in sample}) == 32


def test_codes_display_grouped_for_reading_over_the_phone():
    assert codes.display("K7QM4XPT9H") == "K7QM-4XPT-9H"


@pytest.mark.parametrize(
    "typed",
    ["K7QM-4XPT-9H", "k7qm4xpt9h", " k7qm 4xpt 9h ", "K7QM–4XPT–9H", "K7QM_4XPT.9H"],
)
def test_codes_lookup_ignores_case_spaces_and_hyphens(typed):
    assert codes.normalise(typed) == "K7QM4XPT9H"


def test_codes_lookup_reads_lookalike_letters_as_digits():
    assert codes.normalise("OOOO-IIII-LL") == "0000111111"


@pytest.mark.parametrize(
    "typed", ["", "K7QM-4XPT", "K7QM-4XPT-9H-X", "UUUU-UUUU-UU", "<script>", "x" * 500, None]
)
def test_codes_malformed_input_is_not_a_code(typed):
    assert codes.normalise(typed) is None
