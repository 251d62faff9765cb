"""URL rules shared by the fetcher, the archive, the parser and the crawler.

One place decides what "the same host" means, what a valid site name is and which addresses are
private, so the host guard of the fetcher and the link filter of the crawler can never disagree.
"""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

# RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. Used for the
# archive's directory names, so it must also exclude anything path-like ("..", "/", "\").
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def site_of(url: str) -> str:
    """The host name of ``url``, lower-cased, without port: the ``site`` of notices and archive.

    Raises ValueError when the URL has no host or the host is not a valid name or IP literal.
    """
    host = urlsplit(url).hostname or ""
    if not is_valid_site(host):
        raise ValueError(f"not a valid host name: {host!r} (from {url!r})")
    return host


def is_valid_site(host: str) -> bool:
    if HOSTNAME_RE.match(host):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_key(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) URL, the identity the host guard compares; None otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError:  # a port that is not a number
        return None
    return parts.hostname.lower(), port


def same_host(url: str, base_url: str) -> bool:
    """True when ``url`` is on the base URL's host.

    The port must match too, except for the plain http -> https upgrade of a portal on default
    ports (real portals redirect ``http://`` to ``https://``).
    """
    key, base = host_key(url), host_key(base_url)
    if key is None or base is None or key[0] != base[0]:
        return False
    if key[1] == base[1]:
        return True
    return {key[1], base[1]} == {80, 443}


def is_private_address(host: str) -> bool:
    """True for an IP literal in a private, loopback, link-local or otherwise non-public range."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not ip.is_global


def absolute(href: str, page_url: str) -> str | None:
    """``href`` resolved against the page, without fragment; None for non-http links."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    parts = urlsplit(urljoin(page_url, href))
    if parts.scheme not in _DEFAULT_PORTS:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
