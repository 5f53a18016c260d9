package org.captioner.serve;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which resolved addresses the URL fetcher may connect to. The service fetches URLs its clients name, so by
 * default it refuses everything that is not a public unicast address: otherwise a client could make it reach
 * the host's own ports, the private network or a cloud metadata endpoint (server-side request forgery).
 */
@FunctionalInterface
public interface AddressPolicy {

    boolean allows(InetSocketAddress address);

    /** Public unicast addresses only, on any port. */
    AddressPolicy PUBLIC_ONLY = address -> isPublic(address.getAddress());

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicIpv4(bytes);
        }
        if (address instanceof Inet6Address v6) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            byte[] embedded = embeddedIpv4(v6, bytes);
            return embedded == null || isPublic(ipv4(embedded));
        }
        return false;
    }

    private static boolean isPublicIpv4(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first != 0                                        // 0.0.0.0/8 "this network"
                && first != 10 && first != 127                   // private, loopback
                && !(first == 100 && (second & 0xc0) == 64)      // 100.64.0.0/10 carrier-grade NAT
                && !(first == 169 && second == 254)              // link-local, cloud metadata
                && !(first == 172 && (second & 0xf0) == 16)      // 172.16.0.0/12 private
                && !(first == 192 && second == 168)              // private
                && !(first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                && !(first == 198 && (second & 0xfe) == 18)      // 198.18.0.0/15 benchmarking
                && first < 224;                                  // multicast, reserved, broadcast
    }

    /** The IPv4 address inside an IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
    private static byte[] embeddedIpv4(Inet6Address address, byte[] bytes) {
        if (address.isIPv4CompatibleAddress()) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        byte[] nat64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
        if (Arrays.equals(bytes, 0, 12, nat64, 0, 12)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02) {
            return Arrays.copyOfRange(bytes, 2, 6);
        }
        return null;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // four bytes are always a valid address
        }
    }
}
