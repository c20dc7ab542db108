"""Interop check: Python's zeep, an independent SOAP stack, loads wsdl/engageip.wsdl and calls
all five operations of a running `engageip serve` (built-in data set) in SOAP 1.1 and 1.2.

usage: ENGAGEIP_PASSWORD=... python zeep_interop.py WSDL URL USERNAME
WSDL is a file or a URL (such as the server's own `...asmx?WSDL`); URL `-` uses the addresses
the WSDL gives (`soap:address`, `soap12:address`) instead of overriding them.
Exits 0 when every check passes; prints one line per check.
"""

import datetime
import os
import sys

import zeep
from zeep.exceptions import Fault

NS = "Logisense_EngageIP"


def items(result, name):
    """The items of an ASMX array wrapper (None for an empty array)."""
    if result is None:
        return []
    if isinstance(result, list):  # zeep flattens a wrapper with one repeated child
        return result
    return list(getattr(result, name) or [])


def expect_fault(call, text, code, **kwargs):
    try:
        call(**kwargs)
    except Fault as fault:
        assert fault.message == text, f"fault {fault.message!r}, expected {text!r}"
        assert fault.code is not None and fault.code.split(":")[-1].endswith(code), f"code {fault.code!r}, expected {code}"
        return
    raise AssertionError(f"expected the fault {text!r}")


def main():
    wsdl, url, username = sys.argv[1:4]
    password = os.environ["ENGAGEIP_PASSWORD"]
    client = zeep.Client(wsdl)
    auth_header = client.get_element(f"{{{NS}}}AuthHeader")
    good = [auth_header(Username=username, Password=password)]
    bad = [auth_header(Username=username, Password=password + "-wrong")]
    # Distinct state per version: user packages and packages touched by one are not touched
    # by the other.
    runs = [
        ("WebServiceSoap", "Client", "Server", 5001, 102, "Fiber 1000", "Fiber 1G"),
        ("WebServiceSoap12", "Sender", "Receiver", 5003, 106, "Static IP Add-on", "Static IP"),
    ]
    for binding, client_code, server_code, user_package, target, old_name, new_name in runs:
        if url == "-":
            svc = client.bind("WebService", binding)
            tag = f"{binding} at {svc._binding_options['address']} (from the WSDL)"
        else:
            svc = client.create_service(f"{{{NS}}}{binding}", url)
            tag = binding

        packages = items(svc.GetPackages(username="demo-isp", _soapheaders=good), "Package")
        names = [p.Name for p in packages]
        assert "Basic Internet" in names and old_name in names, names
        basic = next(p for p in packages if p.ID == 101)
        assert basic.SKU == "NET-BASIC" and basic.Amount == 29.99 and basic.ExpiryDate is None, basic
        assert isinstance(basic.StartDate, datetime.datetime), basic.StartDate
        expired = next(p for p in packages if p.ID == 103)
        assert expired.ExpiryDate is not None and expired.ExpiryDate.year == 2020, expired.ExpiryDate
        print(f"{tag}: GetPackages ok ({len(packages)} packages)")

        upgrades = items(svc.GetPackageUpgrades(username="alice", packagename="Basic Internet", _soapheaders=good), "Package")
        assert [p.ID for p in upgrades] == [102, 106], [p.Name for p in upgrades]
        print(f"{tag}: GetPackageUpgrades ok")

        services = items(svc.GetPackageServices(packageName="Basic Internet", ownerUsername="demo-isp", _soapheaders=good), "Service")
        assert [s.ID for s in services] == [501, 502], [s.ID for s in services]
        assert services[1].ShowOnTicketTransaction is True and services[0].Description == "Best-effort 25/5 Mbps"
        empty = items(svc.GetPackageServices(packageName="Static IP Add-on", _soapheaders=good), "Service")
        assert empty == [], empty
        print(f"{tag}: GetPackageServices ok")

        svc.UpgradeUserPackage(userPackageID=user_package, targetPackageID=target, chargeCreditCard=True, _soapheaders=good)
        # Done once: the same upgrade again is no longer on an upgrade path.
        expect_fault(svc.UpgradeUserPackage, "INVALID TARGET PACKAGE ID", server_code,
                     userPackageID=user_package, targetPackageID=target, chargeCreditCard=False, _soapheaders=good)
        expect_fault(svc.UpgradeUserPackage, "CREDIT CARD CHARGE FAILED", server_code,
                     userPackageID=5002, targetPackageID=102, chargeCreditCard=True, _soapheaders=good)
        print(f"{tag}: UpgradeUserPackage ok")

        svc.UpdatePackage(
            packageName=old_name, newPackageName=new_name, sku="SKU-ZEEP", description="via zeep & <friends>",
            startDate=datetime.datetime(2025, 3, 1, 0, 0, 0), expiryDate=None, frequency=3,
            baseTimeUnitTypeName="Month", inActiveOverride=False, showToUserPortal=True, invoiceIdentifier="Internet",
            _soapheaders=good,
        )
        renamed = [p for p in items(svc.GetPackages(username="demo-isp", _soapheaders=good), "Package") if p.Name == new_name]
        assert len(renamed) == 1 and renamed[0].SKU == "SKU-ZEEP" and renamed[0].Frequency == 3, renamed
        assert renamed[0].Description == "via zeep & <friends>", renamed[0].Description
        expect_fault(svc.UpdatePackage, "INVALID BASE UNIT TYPE NAME", server_code,
                     packageName=new_name, newPackageName=new_name, sku="S", startDate=None, expiryDate=None,
                     frequency=1, baseTimeUnitTypeName="Fortnight", inActiveOverride=False, showToUserPortal=False,
                     _soapheaders=good)
        print(f"{tag}: UpdatePackage ok")

        expect_fault(svc.GetPackages, "INVALID USERNAME", server_code, username="nobody", _soapheaders=good)
        expect_fault(svc.GetPackageServices, "INVALID PACKAGE NAME", server_code, packageName="Nope", _soapheaders=good)
        expect_fault(svc.GetPackages, "INVALID CREDENTIALS", client_code, username="demo-isp", _soapheaders=bad)
        print(f"{tag}: faults ok")
    print("zeep interop: all checks passed")


if __name__ == "__main__":
    main()
