"""Who a request comes from: the client's address, seen through the proxies we run.

Behind a reverse proxy every request arrives from the proxy's address. With TRUSTED_PROXIES
set to how many proxies stand in front of the app, the client is the address that many hops
from the right of X-Forwarded-For (the entries further left are the client's own word, and
can be forged). Rate limits and login lockouts count per this address; an IPv6 client is
its /64 network, which one subscriber usually holds whole.
"""
import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address (its /64 network for IPv6), or None when the request has no usable one."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # none, or garbled: no address to count by
        return None
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
