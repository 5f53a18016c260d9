package org.captioner.serve;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.8",
            "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1"})
    void refusesLoopbackPrivateLinkLocalMulticastAndReservedAddresses(String address) throws UnknownHostException {
        assertThat(AddressPolicy.PUBLIC_ONLY.allows(new InetSocketAddress(InetAddress.getByName(address), 80))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "192.169.0.1", "2001:4860:4860::8888", "2606:4700:4700::1111", "64:ff9b::808:808"})
    void allowsPublicUnicastAddresses(String address) throws UnknownHostException {
        assertThat(AddressPolicy.PUBLIC_ONLY.allows(new InetSocketAddress(InetAddress.getByName(address), 443))).isTrue();
    }
}
