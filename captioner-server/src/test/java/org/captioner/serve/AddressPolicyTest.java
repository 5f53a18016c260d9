package org.captioner.serve;

import org.captioner.serve.SpecialPurposeAddresses.Range;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the policy is called: no traffic goes to any of these addresses. */
class AddressPolicyTest {
    static final java.util.List<Range> ROWS = SpecialPurposeAddresses.REFUSED;

    /** One test per row of the table: its first and last addresses are refused, its public neighbors allowed. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("ROWS")
    void refusesEveryAddressOfEachSpecialPurposeRangeAndAllowsItsPublicNeighbors(Range range) throws UnknownHostException {
        BigInteger first = new BigInteger(1, range.network());
        int width = range.network().length * 8;
        BigInteger size = BigInteger.ONE.shiftLeft(width - range.prefixLength());
        BigInteger last = first.add(size).subtract(BigInteger.ONE);
        assertThat(allows(address(first, width))).as("first address of %s", range).isFalse();
        assertThat(allows(address(last, width))).as("last address of %s", range).isFalse();
        assertThat(allows(address(first.add(size.shiftRight(1)), width))).as("middle of %s", range).isFalse();
        for (BigInteger outside : new BigInteger[] {first.subtract(BigInteger.ONE), last.add(BigInteger.ONE)}) {
            if (outside.signum() >= 0 && outside.bitLength() <= width && insideNoRow(address(outside, width))) {
                assertThat(allows(address(outside, width))).as("%s just outside %s", outside.toString(16), range).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "198.51.100.7", "203.0.113.255", "64:ff9b:1::1", "2001::1", "2001:0:4136:e378::1",
            "2001:db8::1", "2001:2::1", "100::1", "3fff::1", "5f00::1", "fec0::1", "ff02::1", "4000::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::8.8.8.8", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",
            "2002:c0a8:0101::1", "2002:7f00:1::1", "2002:c000:0201::1", "169.254.169.254", "0.0.0.0", "::"})
    void refusesTheFormsTheIssueListedAndEmbeddedRefusedIpv4(String address) throws UnknownHostException {
        assertThat(allows(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "192.169.0.1", "192.0.3.1", "198.51.101.1", "203.0.114.1", "192.31.196.1", "2001:4860:4860::8888",
            "2606:4700:4700::1111", "2001:200::1", "64:ff9b::808:808", "::ffff:8.8.8.8", "2002:0808:0808::1"})
    void allowsGloballyReachableUnicastAddresses(String address) throws UnknownHostException {
        assertThat(allows(InetAddress.getByName(address))).isTrue();
    }

    private static boolean insideNoRow(InetAddress address) {
        byte[] bytes = address.getAddress();
        return ROWS.stream().noneMatch(row -> row.contains(bytes))
                && SpecialPurposeAddresses.EMBEDDINGS.stream().noneMatch(embedding -> embedding.prefix().contains(bytes));
    }

    private static boolean allows(InetAddress address) {
        return AddressPolicy.PUBLIC_ONLY.allows(new InetSocketAddress(address, 443));
    }

    private static InetAddress address(BigInteger value, int width) throws UnknownHostException {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[width / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        return InetAddress.getByAddress(bytes);
    }
}
