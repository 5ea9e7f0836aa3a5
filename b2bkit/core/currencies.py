"""ISO 4217 currency codes and their minor units.

The dataset currency (``currency`` in dataset.toml or a map), a row's
``currency`` and fx_rates' ``currency`` must be one of :data:`CODES`: the
active ISO 4217 codes, the funds and metals codes, and the codes replaced
since 1999 that old exports still carry (DEM, FRF, ... , HRK, VEF). Money is
rounded to the currency's minor unit (:func:`minor_unit`) in JSON and CSV
output.

Examples
--------
>>> is_code("EUR"), is_code("Euro"), is_code("$"), is_code("eur")
(True, False, False, False)
>>> minor_unit("USD"), minor_unit("JPY"), minor_unit("KWD"), minor_unit("nope")
(2, 0, 3, 2)
"""

from __future__ import annotations

__all__ = ["CODES", "is_code", "minor_unit"]

_ACTIVE = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG
XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL
"""
#: Replaced since 1999, still found in old exports.
_HISTORIC = """
ATS BEF BYR CYP DEM EEK ESP FIM FRF GHC GRD HRK IEP ITL LTL LUF LVL MRO MTL NLG PTE ROL SIT
SKK STD TRL VEB VEF ZMK ZWD
"""

#: Every code accepted as a currency.
CODES = frozenset((_ACTIVE + _HISTORIC).split())

#: Codes whose minor unit is not 2 (the rest: cents).
_MINOR = {
    **dict.fromkeys("BIF BYR CLP DJF GNF ISK ITL JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF "
                    "XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}


def is_code(text: object) -> bool:
    """True when ``text`` is an ISO 4217 code as written (upper case, three letters)."""
    return isinstance(text, str) and text in CODES


def minor_unit(code: str) -> int:
    """Decimal places of the currency's minor unit (2 for a code not known)."""
    return _MINOR.get(code, 2)
