"""Masking of personal data: table-driven, including the edge cases."""

import pytest

from notices.masking import find_unmasked, mask, mask_name

CASES = [
    # (input, expected masked text)
    ("350102199001011234", "35*************234"),
    ("身份证号35010219900101123X。", "身份证号35*************23X。"),
    ("35010219900101123x", "35*************23x"),
    ("旧证350102900101123", "旧证35**********123"),
    ("13812345678", "138****5678"),
    ("电话 138-1234-5678", "电话 138-****-5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
    ("３５０１０２１９９００１０１１２３４", "３５*************２３４"),
    ("座机 010-65432100", "座机 010-******00"),
    ("0591-87654321", "0591-******21"),
    ("订单2026113812345678901", "订单2026113812345678901"),  # inside a longer digit run
    ("账号 6222021350102199001011234", "账号 6222021350102199001011234"),
    ("2026年11月29日", "2026年11月29日"),
    ("138****5678 与 35*************234", "138****5678 与 35*************234"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_mask_text(raw, expected):
    """Each kind of number is masked as the rules say, and other digits are left alone."""
    assert mask(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_mask_is_idempotent(raw, expected):
    """Masking masked text changes nothing."""
    assert mask(mask(raw)) == mask(raw)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("张*三", "张*三"),
        ("李某某", "李某某"),
        ("王", "*"),
        (" 刘芳 ", "刘*"),
        ("Li Lei", "L* L**"),
    ],
)
def test_mask_name(name, expected):
    """Names keep the first and last character; two-character names keep the first."""
    assert mask_name(name) == expected
    assert mask(name, as_name=True) == expected


def test_mask_none_is_empty():
    """A missing value masks to the empty string, never "None"."""
    assert mask(None) == ""


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("联系13812345678或350102199001011234", ["mobile", "id_number"]),
        ("办公电话010-65432100", []),
        ("138****5678", []),
        ("１３９００００１１１１", ["mobile"]),
    ],
)
def test_find_unmasked(text, kinds):
    """The publish check finds unmasked mobiles and ID numbers, not landlines or masked ones."""
    assert [finding.kind for finding in find_unmasked(text)] == kinds
