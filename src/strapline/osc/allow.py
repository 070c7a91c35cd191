"""Who may talk to a renderer: IP addresses, CIDR ranges and host names.

`AllowList.parse(["10.0.0.5", "192.168.1.0/24", "localhost", "studio-desk"])` resolves the host
names once, when it is made (a name that does not resolve is an error, as is anything that is
neither an address, a range nor a name), and then answers `allows(host)` for a packet's or a
connection's source address with no look-up at all. IPv4 addresses seen as IPv4-mapped IPv6
(`::ffff:10.0.0.5`) match their IPv4 entries.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], list[str]]

_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?$"
)


def _resolve(name: str) -> list[str]:
    infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_UDP)
    return sorted({str(info[4][0]).split("%", 1)[0] for info in infos})


@dataclass(frozen=True)
class AllowList:
    networks: tuple[Network, ...]
    entries: tuple[str, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str], resolve: Resolver = _resolve) -> AllowList:
        """Each entry an address, a CIDR range or a host name; ValueError naming the first
        one that is none of these, or a name that does not resolve."""
        networks: list[Network] = []
        given = [e.strip() for e in entries]
        for entry in given:
            if not entry:
                raise ValueError("an empty entry: give an address, a range or a host name")
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            if "/" in entry or ":" in entry or not _HOSTNAME.match(entry):
                raise ValueError(
                    f"{entry!r} is not an IP address, a range (10.0.0.0/24) or a host name"
                )
            try:
                addresses = resolve(entry)
            except OSError as exc:
                raise ValueError(f"host name {entry!r} does not resolve: {exc}") from None
            if not addresses:
                raise ValueError(f"host name {entry!r} does not resolve to any address")
            networks.extend(ipaddress.ip_network(a) for a in addresses)
        return cls(tuple(networks), tuple(given))

    def allows(self, host: str) -> bool:
        """Whether a source address is on the list (a host name is never: look-ups happen
        only when the list is made)."""
        try:
            address = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in net for net in self.networks)

    def __str__(self) -> str:
        return ", ".join(self.entries) or ", ".join(str(n) for n in self.networks)
