package org.captioner.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Which resolved addresses the URL fetcher may connect to. The service fetches URLs its clients name, so by
 * default it refuses every address that is not globally reachable unicast: otherwise a client could make it
 * reach the host's own ports, the private network or a cloud metadata endpoint (server-side request forgery).
 * The policy is checked on the resolved address before any connection is made.
 */
@FunctionalInterface
public interface AddressPolicy {

    boolean allows(InetSocketAddress address);

    /** Globally reachable unicast addresses only, on any port: nothing in {@link SpecialPurposeAddresses}. */
    AddressPolicy PUBLIC_ONLY = address -> isPublic(address.getAddress());

    static boolean isPublic(InetAddress address) {
        return address != null && SpecialPurposeAddresses.refusedRange(address).isEmpty();
    }
}
