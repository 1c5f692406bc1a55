"""Country groups used for call eligibility."""

EU_COUNTRIES = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip
EEA_EXTRA = ("IS", "LI", "NO")
EU_EEA = EU_COUNTRIES + EEA_EXTRA


def eu_eea_default():
    return list(EU_EEA)
