"""Nation codes: IOC-style three-letter codes, their English names and the flags graphics show.

Sports results name nations by the codes of the National Olympic Committees (KOR, NED, GER,
SUI...), not by ISO 3166 codes. No maintained library carries these codes well, so this module
keeps its own table. Source: the International Olympic Committee's list of National Olympic
Committee codes, as tabulated on Wikipedia's "List of IOC country codes" (206 current NOCs), with
each nation's ISO 3166-1 alpha-2 code for its flag (Kosovo: "xk", the code flag sets use).

Codes without a national flag (`flag_iso` gives None):
- teams and athletes competing under a neutral or Olympic flag: AIN, ANA, OAR, ROC, RPC, IOA,
  IOP, EOR, MIX, ZZX, EUN, COR;
- historic nations whose flags are no longer flown: URS, GDR, FRG, TCH, YUG, SCG, AHO;
- TPE: Chinese Taipei competes under its Olympic committee's flag, never the national flag, so no
  ISO flag is offered; a theme that needs one must ship that flag itself.

Aliases accepted by `normalise_nation` (each one unambiguous: no alias is itself an IOC code):
- former IOC codes of a nation that still competes: SIN -> SGP, TRI -> TTO;
- ISO 3166-1 alpha-3 codes of nations whose IOC code differs (NLD -> NED, DEU -> GER,
  CHE -> SUI, HRV -> CRO, PRT -> POR, ZAF -> RSA, TWN -> TPE, ...). An ISO code that is also
  another nation's IOC code is not an alias: BRN is Bahrain (IOC), not Brunei (ISO).
"""

from __future__ import annotations

import re

__all__ = [
    "ALIASES",
    "NATIONS",
    "SPECIAL_CODES",
    "flag_iso",
    "is_known_nation",
    "nation_name",
    "normalise_nation",
]

# IOC code -> (English name, ISO 3166-1 alpha-2 for the flag, lower case; None: no national flag)
NATIONS: dict[str, tuple[str, str | None]] = {
    "AFG": ("Afghanistan", "af"),
    "ALB": ("Albania", "al"),
    "ALG": ("Algeria", "dz"),
    "AND": ("Andorra", "ad"),
    "ANG": ("Angola", "ao"),
    "ANT": ("Antigua and Barbuda", "ag"),
    "ARG": ("Argentina", "ar"),
    "ARM": ("Armenia", "am"),
    "ARU": ("Aruba", "aw"),
    "ASA": ("American Samoa", "as"),
    "AUS": ("Australia", "au"),
    "AUT": ("Austria", "at"),
    "AZE": ("Azerbaijan", "az"),
    "BAH": ("Bahamas", "bs"),
    "BAN": ("Bangladesh", "bd"),
    "BAR": ("Barbados", "bb"),
    "BDI": ("Burundi", "bi"),
    "BEL": ("Belgium", "be"),
    "BEN": ("Benin", "bj"),
    "BER": ("Bermuda", "bm"),
    "BHU": ("Bhutan", "bt"),
    "BIH": ("Bosnia and Herzegovina", "ba"),
    "BIZ": ("Belize", "bz"),
    "BLR": ("Belarus", "by"),
    "BOL": ("Bolivia", "bo"),
    "BOT": ("Botswana", "bw"),
    "BRA": ("Brazil", "br"),
    "BRN": ("Bahrain", "bh"),
    "BRU": ("Brunei Darussalam", "bn"),
    "BUL": ("Bulgaria", "bg"),
    "BUR": ("Burkina Faso", "bf"),
    "CAF": ("Central African Republic", "cf"),
    "CAM": ("Cambodia", "kh"),
    "CAN": ("Canada", "ca"),
    "CAY": ("Cayman Islands", "ky"),
    "CGO": ("Congo", "cg"),
    "CHA": ("Chad", "td"),
    "CHI": ("Chile", "cl"),
    "CHN": ("People's Republic of China", "cn"),
    "CIV": ("Côte d'Ivoire", "ci"),
    "CMR": ("Cameroon", "cm"),
    "COD": ("Democratic Republic of the Congo", "cd"),
    "COK": ("Cook Islands", "ck"),
    "COL": ("Colombia", "co"),
    "COM": ("Comoros", "km"),
    "CPV": ("Cabo Verde", "cv"),
    "CRC": ("Costa Rica", "cr"),
    "CRO": ("Croatia", "hr"),
    "CUB": ("Cuba", "cu"),
    "CYP": ("Cyprus", "cy"),
    "CZE": ("Czechia", "cz"),
    "DEN": ("Denmark", "dk"),
    "DJI": ("Djibouti", "dj"),
    "DMA": ("Dominica", "dm"),
    "DOM": ("Dominican Republic", "do"),
    "ECU": ("Ecuador", "ec"),
    "EGY": ("Egypt", "eg"),
    "ERI": ("Eritrea", "er"),
    "ESA": ("El Salvador", "sv"),
    "ESP": ("Spain", "es"),
    "EST": ("Estonia", "ee"),
    "ETH": ("Ethiopia", "et"),
    "FIJ": ("Fiji", "fj"),
    "FIN": ("Finland", "fi"),
    "FRA": ("France", "fr"),
    "FSM": ("Federated States of Micronesia", "fm"),
    "GAB": ("Gabon", "ga"),
    "GAM": ("Gambia", "gm"),
    "GBR": ("Great Britain", "gb"),
    "GBS": ("Guinea-Bissau", "gw"),
    "GEO": ("Georgia", "ge"),
    "GEQ": ("Equatorial Guinea", "gq"),
    "GER": ("Germany", "de"),
    "GHA": ("Ghana", "gh"),
    "GRE": ("Greece", "gr"),
    "GRN": ("Grenada", "gd"),
    "GUA": ("Guatemala", "gt"),
    "GUI": ("Guinea", "gn"),
    "GUM": ("Guam", "gu"),
    "GUY": ("Guyana", "gy"),
    "HAI": ("Haiti", "ht"),
    "HKG": ("Hong Kong, China", "hk"),
    "HON": ("Honduras", "hn"),
    "HUN": ("Hungary", "hu"),
    "INA": ("Indonesia", "id"),
    "IND": ("India", "in"),
    "IRI": ("Islamic Republic of Iran", "ir"),
    "IRL": ("Ireland", "ie"),
    "IRQ": ("Iraq", "iq"),
    "ISL": ("Iceland", "is"),
    "ISR": ("Israel", "il"),
    "ISV": ("Virgin Islands, US", "vi"),
    "ITA": ("Italy", "it"),
    "IVB": ("British Virgin Islands", "vg"),
    "JAM": ("Jamaica", "jm"),
    "JOR": ("Jordan", "jo"),
    "JPN": ("Japan", "jp"),
    "KAZ": ("Kazakhstan", "kz"),
    "KEN": ("Kenya", "ke"),
    "KGZ": ("Kyrgyzstan", "kg"),
    "KIR": ("Kiribati", "ki"),
    "KOR": ("Republic of Korea", "kr"),
    "KOS": ("Kosovo", "xk"),
    "KSA": ("Saudi Arabia", "sa"),
    "KUW": ("Kuwait", "kw"),
    "LAO": ("Lao People's Democratic Republic", "la"),
    "LAT": ("Latvia", "lv"),
    "LBA": ("Libya", "ly"),
    "LBN": ("Lebanon", "lb"),
    "LBR": ("Liberia", "lr"),
    "LCA": ("Saint Lucia", "lc"),
    "LES": ("Lesotho", "ls"),
    "LIE": ("Liechtenstein", "li"),
    "LTU": ("Lithuania", "lt"),
    "LUX": ("Luxembourg", "lu"),
    "MAD": ("Madagascar", "mg"),
    "MAR": ("Morocco", "ma"),
    "MAS": ("Malaysia", "my"),
    "MAW": ("Malawi", "mw"),
    "MDA": ("Republic of Moldova", "md"),
    "MDV": ("Maldives", "mv"),
    "MEX": ("Mexico", "mx"),
    "MGL": ("Mongolia", "mn"),
    "MHL": ("Marshall Islands", "mh"),
    "MKD": ("North Macedonia", "mk"),
    "MLI": ("Mali", "ml"),
    "MLT": ("Malta", "mt"),
    "MNE": ("Montenegro", "me"),
    "MON": ("Monaco", "mc"),
    "MOZ": ("Mozambique", "mz"),
    "MRI": ("Mauritius", "mu"),
    "MTN": ("Mauritania", "mr"),
    "MYA": ("Myanmar", "mm"),
    "NAM": ("Namibia", "na"),
    "NCA": ("Nicaragua", "ni"),
    "NED": ("Netherlands", "nl"),
    "NEP": ("Nepal", "np"),
    "NGR": ("Nigeria", "ng"),
    "NIG": ("Niger", "ne"),
    "NOR": ("Norway", "no"),
    "NRU": ("Nauru", "nr"),
    "NZL": ("New Zealand", "nz"),
    "OMA": ("Oman", "om"),
    "PAK": ("Pakistan", "pk"),
    "PAN": ("Panama", "pa"),
    "PAR": ("Paraguay", "py"),
    "PER": ("Peru", "pe"),
    "PHI": ("Philippines", "ph"),
    "PLE": ("Palestine", "ps"),
    "PLW": ("Palau", "pw"),
    "PNG": ("Papua New Guinea", "pg"),
    "POL": ("Poland", "pl"),
    "POR": ("Portugal", "pt"),
    "PRK": ("Democratic People's Republic of Korea", "kp"),
    "PUR": ("Puerto Rico", "pr"),
    "QAT": ("Qatar", "qa"),
    "ROU": ("Romania", "ro"),
    "RSA": ("South Africa", "za"),
    "RUS": ("Russian Federation", "ru"),
    "RWA": ("Rwanda", "rw"),
    "SAM": ("Samoa", "ws"),
    "SEN": ("Senegal", "sn"),
    "SEY": ("Seychelles", "sc"),
    "SGP": ("Singapore", "sg"),
    "SKN": ("Saint Kitts and Nevis", "kn"),
    "SLE": ("Sierra Leone", "sl"),
    "SLO": ("Slovenia", "si"),
    "SMR": ("San Marino", "sm"),
    "SOL": ("Solomon Islands", "sb"),
    "SOM": ("Somalia", "so"),
    "SRB": ("Serbia", "rs"),
    "SRI": ("Sri Lanka", "lk"),
    "SSD": ("South Sudan", "ss"),
    "STP": ("Sao Tome and Principe", "st"),
    "SUD": ("Sudan", "sd"),
    "SUI": ("Switzerland", "ch"),
    "SUR": ("Suriname", "sr"),
    "SVK": ("Slovakia", "sk"),
    "SWE": ("Sweden", "se"),
    "SWZ": ("Eswatini", "sz"),
    "SYR": ("Syrian Arab Republic", "sy"),
    "TAN": ("United Republic of Tanzania", "tz"),
    "TGA": ("Tonga", "to"),
    "THA": ("Thailand", "th"),
    "TJK": ("Tajikistan", "tj"),
    "TKM": ("Turkmenistan", "tm"),
    "TLS": ("Timor-Leste", "tl"),
    "TOG": ("Togo", "tg"),
    "TPE": ("Chinese Taipei", None),
    "TTO": ("Trinidad and Tobago", "tt"),
    "TUN": ("Tunisia", "tn"),
    "TUR": ("Türkiye", "tr"),
    "TUV": ("Tuvalu", "tv"),
    "UAE": ("United Arab Emirates", "ae"),
    "UGA": ("Uganda", "ug"),
    "UKR": ("Ukraine", "ua"),
    "URU": ("Uruguay", "uy"),
    "USA": ("United States of America", "us"),
    "UZB": ("Uzbekistan", "uz"),
    "VAN": ("Vanuatu", "vu"),
    "VEN": ("Venezuela", "ve"),
    "VIE": ("Vietnam", "vn"),
    "VIN": ("Saint Vincent and the Grenadines", "vc"),
    "YEM": ("Yemen", "ye"),
    "ZAM": ("Zambia", "zm"),
    "ZIM": ("Zimbabwe", "zw"),
}

# Codes that are not (or no longer) a National Olympic Committee, none with a national flag.
SPECIAL_CODES: dict[str, str] = {
    "AIN": "Individual Neutral Athletes",
    "ANA": "Authorised Neutral Athletes",
    "OAR": "Olympic Athletes from Russia",
    "ROC": "ROC",
    "RPC": "RPC",
    "IOA": "Independent Olympic Athletes",
    "IOP": "Independent Olympic Participants",
    "EOR": "Refugee Olympic Team",
    "MIX": "Mixed team",
    "ZZX": "Mixed team",
    "EUN": "Unified Team",
    "COR": "Korea",
    "URS": "Soviet Union",
    "GDR": "German Democratic Republic",
    "FRG": "Federal Republic of Germany",
    "TCH": "Czechoslovakia",
    "YUG": "Yugoslavia",
    "SCG": "Serbia and Montenegro",
    "AHO": "Netherlands Antilles",
}

# Other spellings -> IOC code.
ALIASES: dict[str, str] = {
    # former IOC codes
    "SIN": "SGP",
    "TRI": "TTO",
    # ISO 3166-1 alpha-3 where it differs from the IOC code
    "ABW": "ARU",
    "AGO": "ANG",
    "ARE": "UAE",
    "ASM": "ASA",
    "ATG": "ANT",
    "BFA": "BUR",
    "BGD": "BAN",
    "BGR": "BUL",
    "BHR": "BRN",
    "BHS": "BAH",
    "BMU": "BER",
    "BRB": "BAR",
    "BTN": "BHU",
    "BWA": "BOT",
    "CHE": "SUI",
    "CHL": "CHI",
    "CRI": "CRC",
    "CYM": "CAY",
    "DEU": "GER",
    "DNK": "DEN",
    "DZA": "ALG",
    "FJI": "FIJ",
    "GMB": "GAM",
    "GNB": "GBS",
    "GNQ": "GEQ",
    "GRC": "GRE",
    "GRD": "GRN",
    "GTM": "GUA",
    "HND": "HON",
    "HRV": "CRO",
    "HTI": "HAI",
    "IDN": "INA",
    "IRN": "IRI",
    "KHM": "CAM",
    "KNA": "SKN",
    "KWT": "KUW",
    "LBY": "LBA",
    "LKA": "SRI",
    "LSO": "LES",
    "LVA": "LAT",
    "MCO": "MON",
    "MDG": "MAD",
    "MMR": "MYA",
    "MNG": "MGL",
    "MRT": "MTN",
    "MUS": "MRI",
    "MWI": "MAW",
    "MYS": "MAS",
    "NER": "NIG",
    "NGA": "NGR",
    "NIC": "NCA",
    "NLD": "NED",
    "NPL": "NEP",
    "OMN": "OMA",
    "PHL": "PHI",
    "PRI": "PUR",
    "PRT": "POR",
    "PRY": "PAR",
    "PSE": "PLE",
    "SAU": "KSA",
    "SDN": "SUD",
    "SLB": "SOL",
    "SLV": "ESA",
    "SVN": "SLO",
    "SYC": "SEY",
    "TCD": "CHA",
    "TGO": "TOG",
    "TON": "TGA",
    "TWN": "TPE",
    "TZA": "TAN",
    "URY": "URU",
    "VCT": "VIN",
    "VGB": "IVB",
    "VIR": "ISV",
    "VNM": "VIE",
    "VUT": "VAN",
    "WSM": "SAM",
    "XKX": "KOS",
    "ZAF": "RSA",
    "ZMB": "ZAM",
    "ZWE": "ZIM",
}

_CODE = re.compile(r"^[A-Z]{3}$")


def normalise_nation(code: str) -> str:
    """The IOC code for a nation code as a source wrote it: trimmed, upper-cased, aliases mapped.

    Raises ValueError for anything that is not three letters A-Z. An unknown three-letter code is
    returned upper-cased (check it with `is_known_nation`).
    """
    if not isinstance(code, str):
        raise ValueError(f"a nation code must be text, not {type(code).__name__}")
    text = code.strip().upper()
    if not _CODE.match(text):
        raise ValueError(f"{code!r} is not a nation code (three letters A-Z, such as KOR)")
    return ALIASES.get(text, text)


def _lookup(code: str) -> str | None:
    try:
        return normalise_nation(code)
    except ValueError:
        return None


def nation_name(code: str) -> str | None:
    """The English name of a nation code (IOC naming), or None for an unknown code."""
    ioc = _lookup(code)
    if ioc is None:
        return None
    if ioc in NATIONS:
        return NATIONS[ioc][0]
    return SPECIAL_CODES.get(ioc)


def flag_iso(code: str) -> str | None:
    """Lower-case ISO 3166-1 alpha-2 code of the nation's flag; None where no national flag."""
    ioc = _lookup(code)
    if ioc is None or ioc not in NATIONS:
        return None
    return NATIONS[ioc][1]


def is_known_nation(code: str) -> bool:
    """True for a current or special IOC code, or an alias of one."""
    ioc = _lookup(code)
    return ioc is not None and (ioc in NATIONS or ioc in SPECIAL_CODES)
