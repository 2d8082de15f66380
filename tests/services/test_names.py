"""Search keys fold case and accents so that names are found as typed."""

from dnt_desktop.services.names import search_key


def test_accents_case_and_special_letters_fold() -> None:
    assert search_key("Zoë Ångström-Nuñez") == "zoe angstrom-nunez"
    assert search_key("Łódź  Żółć") == "lodz zolc"
    assert search_key("O'Brien") == "o'brien"
    assert search_key("MÜLLER") == "muller"
