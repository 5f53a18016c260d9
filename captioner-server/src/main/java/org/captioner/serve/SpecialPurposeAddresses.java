package org.captioner.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges a URL fetch must never connect to, in one table: every entry of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890 and its updates) that is not globally reachable, plus the
 * blocks of the IANA address-space registries that are not unicast or not allocated (multicast, reserved,
 * IPv6 outside 2000::/3).
 * <p>
 * Two registry blocks are refused whole although a few addresses inside them are marked globally reachable:
 * 192.0.0.0/24 (PCP and TURN anycast, 192.0.0.9 and .10) and 2001::/23 (anycast, AMT, AS112, ORCHIDv2, DRIP).
 * Those are protocol service addresses or identifiers, never the home of an image.
 * <p>
 * IPv6 forms that carry an IPv4 address (the NAT64 well-known prefix 64:ff9b::/96 and 6to4 2002::/16) are judged
 * by the IPv4 address they carry; IPv4-mapped addresses ({@code ::ffff:a.b.c.d}) are IPv4 addresses to Java already.
 */
final class SpecialPurposeAddresses {

    /** One refused range: {@code cidr} as in the registry, its registry name and the RFC defining it. */
    record Range(String cidr, String name, String rfc) {
        byte[] network() {
            return parse(cidr.substring(0, cidr.indexOf('/')));
        }

        int prefixLength() {
            return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
        }

        boolean contains(byte[] address) {
            byte[] network = network();
            if (network.length != address.length) {
                return false;
            }
            int bits = prefixLength();
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An IPv6 prefix whose addresses carry an IPv4 address at {@code offset} (bytes), judged by that address. */
    record Embedding(Range prefix, int offset) {
    }

    static final List<Range> REFUSED = List.of(
            // IANA IPv4 Special-Purpose Address Registry, entries not globally reachable
            new Range("0.0.0.0/8", "this network", "RFC 791"),
            new Range("10.0.0.0/8", "private use", "RFC 1918"),
            new Range("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598"),
            new Range("127.0.0.0/8", "loopback", "RFC 1122"),
            new Range("169.254.0.0/16", "link local (cloud metadata)", "RFC 3927"),
            new Range("172.16.0.0/12", "private use", "RFC 1918"),
            new Range("192.0.0.0/24", "IETF protocol assignments", "RFC 6890"),
            new Range("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"),
            new Range("192.88.99.0/24", "6to4 relay anycast (deprecated)", "RFC 7526"),
            new Range("192.168.0.0/16", "private use", "RFC 1918"),
            new Range("198.18.0.0/15", "benchmarking", "RFC 2544"),
            new Range("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"),
            new Range("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"),
            new Range("240.0.0.0/4", "reserved", "RFC 1112"),
            new Range("255.255.255.255/32", "limited broadcast", "RFC 919"),
            // IANA IPv4 address space: not unicast
            new Range("224.0.0.0/4", "multicast", "RFC 5771"),
            // IANA IPv6 Special-Purpose Address Registry, entries not globally reachable
            new Range("::1/128", "loopback", "RFC 4291"),
            new Range("::/128", "unspecified", "RFC 4291"),
            new Range("64:ff9b:1::/48", "local-use IPv4/IPv6 translation", "RFC 8215"),
            new Range("100::/64", "discard-only", "RFC 6666"),
            new Range("100:0:0:1::/64", "dummy IPv6 prefix", "RFC 9780"),
            new Range("2001::/23", "IETF protocol assignments (Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID)", "RFC 2928"),
            new Range("2001:db8::/32", "documentation", "RFC 3849"),
            new Range("3fff::/20", "documentation", "RFC 9637"),
            new Range("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602"),
            new Range("fc00::/7", "unique local", "RFC 4193"),
            new Range("fe80::/10", "link-local unicast", "RFC 4291"),
            // IANA IPv6 address space: everything outside global unicast 2000::/3 is reserved, unassigned,
            // site-local (deprecated) or multicast
            new Range("::/3", "reserved by IETF (IPv4-compatible, IPv4-mapped, IPv4-translated)", "RFC 4291"),
            new Range("4000::/2", "unassigned", "RFC 4291"),
            new Range("8000::/1", "unassigned, site-local fec0::/10 (deprecated, RFC 3879), multicast ff00::/8", "RFC 4291"));

    static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(new Range("64:ff9b::/96", "IPv4/IPv6 translation (NAT64)", "RFC 6052"), 12),
            new Embedding(new Range("2002::/16", "6to4", "RFC 3056"), 2));

    private SpecialPurposeAddresses() {
    }

    /** The refused range {@code address} falls in, if any; an embedded IPv4 address is judged in its place. */
    static Optional<Range> refusedRange(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.prefix().contains(bytes)) {
                return refusedRange(Arrays.copyOfRange(bytes, embedding.offset(), embedding.offset() + 4));
            }
        }
        return refusedRange(bytes);
    }

    private static Optional<Range> refusedRange(byte[] bytes) {
        return REFUSED.stream().filter(range -> range.contains(bytes)).findFirst();
    }

    private static byte[] parse(String literal) {
        try {
            // Literals only: no name lookup happens for an address literal.
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }
}
